// Plain, obviously-correct reference implementations and random inputs for the kernel tests.
import { Rng } from '@typedlearn/tensor';

/** A Float32Array of `length` uniform values in [-1, 1). */
export function randomArray(rng: Rng, length: number): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = 2 * rng.uniform() - 1;
  return values;
}

/** The element op(X)[i, j] of a stored row-major matrix with row stride ld. */
export function element(x: Float32Array, ld: number, trans: boolean, i: number, j: number): number {
  return trans ? x[j * ld + i] : x[i * ld + j];
}

/**
 * alpha * op(A) op(B) + beta * C by the textbook triple loop in float64, together with the
 * magnitude alpha * |op(A)| |op(B)| + |beta C| of each result, which bounds its rounding error.
 */
export function referenceGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): { value: Float64Array; magnitude: Float64Array } {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let size = 0;
      for (let p = 0; p < k; p++) {
        const product = element(a, lda, transA, i, p) * element(b, ldb, transB, p, j);
        sum += product;
        size += Math.abs(product);
      }
      const old = beta === 0 ? 0 : beta * c[i * ldc + j];
      value[i * n + j] = alpha * sum + old;
      magnitude[i * n + j] = Math.abs(alpha) * size + Math.abs(old);
    }
  }
  return { value, magnitude };
}
