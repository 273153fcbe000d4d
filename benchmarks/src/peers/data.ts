// The rows every JavaScript run trains and tests on: the first nTrain training and nTest test
// digits of the MNIST files in `dataDir`, pixels / 255 (as scikit-learn's side reads them).
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadIdxDataset } from '@typedlearn/data/node';
import type { Tensor } from '@typedlearn/tensor';
import type { RunSpec } from './runs.js';

/** Training and test rows as float32 [n, 784] matrices and their labels. */
export interface PeerData {
  XTrain: Tensor;
  yTrain: Int32Array;
  XTest: Tensor;
  yTest: Int32Array;
}

export function loadPeerData({ dataDir, nTrain, nTest }: RunSpec): PeerData {
  const { train, test } = loadIdxDataset(dataDir);
  if (nTrain > train.labels.length || nTest > test.labels.length) {
    throw new Error(
      `asked for ${nTrain} training and ${nTest} test rows, but ${dataDir} has ${train.labels.length} and ${test.labels.length}`,
    );
  }
  return {
    XTrain: toFloat01(flattenImages(train.images.slice(0, nTrain))),
    yTrain: train.labels.slice(0, nTrain),
    XTest: toFloat01(flattenImages(test.images.slice(0, nTest))),
    yTest: test.labels.slice(0, nTest),
  };
}

/** The rows of a matrix as arrays of numbers, the input format of ml.js libraries. */
export function toNestedArrays(X: Tensor): number[][] {
  const [rows, cols] = X.matrixShape('X');
  const data = X.contiguous().data;
  return Array.from({ length: rows }, (_, i) =>
    Array.from(data.subarray(i * cols, (i + 1) * cols)),
  );
}

/** A model ready to train: its inputs are already in the library's format (not timed). */
export interface PreparedRun {
  /** Trains on the training rows (timed as the fit). */
  fit(): Promise<void>;
  /** Predicts the labels of the test rows (timed as the prediction). */
  predict(): ArrayLike<number>;
  /**
   * A predict-only run measured after the prediction, with the model just trained (tfjs-wasm
   * predicting with the network tfjs-cpu trained): `prepare` (not timed) readies it, e.g.
   * switches the backend and converts the test rows; `predict` is timed.
   */
  alsoPredict?: { key: string; prepare(): Promise<void>; predict(): ArrayLike<number> };
}

/** Builds the model of `spec` and converts the rows to what the library takes. */
export type PrepareRun = (spec: RunSpec, data: PeerData) => Promise<PreparedRun>;
