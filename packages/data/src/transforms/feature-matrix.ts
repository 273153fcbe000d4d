import { ShapeError, toFloat32Matrix, type MatrixInput } from '@typedlearn/tensor';

/** A samples-by-features matrix as one contiguous row-major float32 array. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * `X` [samples, features] as contiguous float32 with finite values: a Tensor of any dtype, an
 * array of rows or a flat float array with its shape ({@link MatrixInput}), copied only when it
 * is not contiguous float32 already. Errors name the row and column of a bad value.
 */
export function featureMatrix(X: MatrixInput, owner: string): FeatureMatrix {
  const x = toFloat32Matrix(X, `${owner} input X`);
  return { data: x.contiguousData(), rows: x.shape[0], cols: x.shape[1] };
}

/** Throws a ShapeError unless `X` has the `expected` number of features seen in `fit`. */
export function checkFeatureCount(owner: string, cols: number, expected: number): void {
  if (cols !== expected) {
    throw new ShapeError(
      `${owner} was fitted on ${expected} features, but X has ${cols}: expected [samples, ${expected}]`,
    );
  }
}
