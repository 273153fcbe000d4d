import { featureRows, type ImageSet, type TrainTestImages } from '@typedlearn/data';
import { loadIdxDataset, loadMnist } from '@typedlearn/data/node';
import type { Tensor } from '@typedlearn/tensor';

/** A labelled set as a classifier takes it: pixels in [0, 1], one row per image. */
export interface Samples {
  /** [N, rows * cols] float32 pixels in [0, 1]. */
  X: Tensor;
  y: Int32Array;
  /** The original uint8 images [N, rows, cols], for pictures. */
  images: Tensor<'uint8'>;
}

/** The dataset of `--data DIR` (the four MNIST-format IDX files), or MNIST itself by default. */
export function loadDataset(dir: string | undefined): TrainTestImages {
  return dir === undefined ? loadMnist() : loadIdxDataset(dir);
}

/** The first `size` images of `set` (all of them when `size` is undefined or larger). */
export function samples(set: ImageSet, size?: number): Samples {
  const { X, y } = featureRows(set, size);
  return { X, y, images: set.images.slice(0, y.length) };
}
