import { assertFinite, ShapeError, type DType, type Tensor } from '@typedlearn/tensor';

/** A samples-by-features matrix as one contiguous row-major float32 array. */
export interface FeatureMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * `X` [samples, features] as contiguous float32 with finite values, copying only when `X` is
 * not already contiguous float32 (uint8 and int32 are converted). Throws a ShapeError when
 * `X` is not a matrix, a ValueError when it holds NaN or infinity.
 */
export function featureMatrix(X: Tensor<DType>, owner: string): FeatureMatrix {
  const [rows, cols] = X.matrixShape(`${owner} input X`);
  const source = X.contiguous();
  const size = rows * cols;
  const data =
    source.dtype === 'float32'
      ? (source.data as Float32Array).subarray(source.offset, source.offset + size)
      : Float32Array.from(source.data.subarray(source.offset, source.offset + size));
  assertFinite(data, `${owner} input X`);
  return { data, rows, cols };
}

/** Throws a ShapeError unless `X` has the `expected` number of features seen in `fit`. */
export function checkFeatureCount(owner: string, cols: number, expected: number): void {
  if (cols !== expected) {
    throw new ShapeError(
      `${owner} was fitted on ${expected} features, but X has ${cols}: expected [samples, ${expected}]`,
    );
  }
}
