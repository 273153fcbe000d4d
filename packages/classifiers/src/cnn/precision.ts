import { gemm } from '@typedlearn/tensor';

/**
 * The two precisions a {@link ConvNet} computes in. Training and prediction run in float32,
 * where the products are the library's GEMM; the gradient checks run the same layer code in
 * float64, where rounding is small enough to compare the backward pass with finite
 * differences to 1e-5. Only float32 arrays reach the layers in training, so their loops stay
 * monomorphic there.
 */
export type Precision = 'float32' | 'float64';

/** The arrays a network computes in: float32 in the product, float64 in the gradient checks. */
export type Floats = Float32Array | Float64Array;

/** A zero-filled array of `length` numbers in `precision`. */
export function allocateFloats(precision: Precision, length: number): Floats {
  return precision === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/**
 * C = op(A) op(B) + beta C with the stored row strides `lda`, `ldb`, `ldc`, as `gemm` (BLAS
 * `sgemm` with alpha 1). Float32 arrays go to `gemm`; float64 ones (the gradient checks) to
 * the textbook triple loop, summed in float64. With beta 0, C is not read.
 */
export function multiply(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Floats,
  lda: number,
  b: Floats,
  ldb: number,
  beta: number,
  c: Floats,
  ldc: number,
): void {
  if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
    gemm(transA, transB, m, n, k, 1, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * lda + i] : a[i * lda + p];
        const bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
        total += aip * bpj;
      }
      c[i * ldc + j] = beta === 0 ? total : beta * c[i * ldc + j] + total;
    }
  }
}
