import { featureRows, type ImageSet, type TrainTestImages } from '@typedlearn/data';
import { loadIdxDataset, loadMnist } from '@typedlearn/data/node';
import type { Tensor } from '@typedlearn/tensor';
import { UsageError } from './usage-error.js';

/** Labelled rows as a classifier takes them. */
export interface LabelledRows {
  /** [N, features] float32 (pixels in [0, 1]). */
  X: Tensor;
  y: Int32Array;
}

/** A labelled set of images as a classifier takes it: pixels in [0, 1], one row per image. */
export interface Samples extends LabelledRows {
  /** The original uint8 images [N, rows, cols], for pictures. */
  images: Tensor<'uint8'>;
}

/** A data set as the commands use it: its two splits and the name models record. */
export interface Dataset extends TrainTestImages {
  /** `MNIST`, or the folder given as `--data`. */
  name: string;
}

/** The dataset of `--data DIR` (the four MNIST-format IDX files), or MNIST itself by default. */
export function loadDataset(dir: string | undefined): Dataset {
  return { ...(dir === undefined ? loadMnist() : loadIdxDataset(dir)), name: dir ?? 'MNIST' };
}

/**
 * The first `size` images of `set` (all of them when `size` is undefined). Asking for more
 * than the set holds is a {@link UsageError} naming `option` (`--train-size`, say): nothing
 * is silently cut.
 */
export function samples(set: ImageSet, size: number | undefined, option: string): Samples {
  if (size !== undefined && size > set.labels.length) {
    throw new UsageError(
      `${option} ${size} is more than the ${set.labels.length} images the set holds; ` +
        `give at most ${set.labels.length}, or leave it out to use them all`,
    );
  }
  const { X, y } = featureRows(set, size);
  return { X, y, images: set.images.slice(0, y.length) };
}
