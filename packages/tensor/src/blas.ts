import { DTypeError, ShapeError, ValueError, describeValue } from './errors.js';

/**
 * Level-1 and level-2 BLAS on contiguous Float32Arrays: dot product, axpy and matrix-vector
 * product. Sums accumulate in float64 (JavaScript numbers) and are rounded to float32 once.
 */

/** The dot product of the first `n` elements (default: all of `a`) of `a` and `b`. */
export function dot(a: Float32Array, b: Float32Array, n: number = a.length): number {
  checkLength('dot', 'a', a, n);
  checkLength('dot', 'b', b, n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i] * b[i];
  return sum;
}

/** y += alpha * x over the first `n` elements (default: all of `x`); returns `y`. */
export function axpy(
  alpha: number,
  x: Float32Array,
  y: Float32Array,
  n: number = x.length,
): Float32Array {
  checkLength('axpy', 'x', x, n);
  checkLength('axpy', 'y', y, n);
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
  return y;
}

/**
 * y = alpha * op(A) * x + beta * y (BLAS `sgemv`). A is stored row-major as m x n with row
 * stride `lda` (>= n). Without `trans`, x has n elements and y has m; with `trans`, op(A) = A^T,
 * x has m elements and y has n. When `beta` is 0, y is not read. Returns `y`.
 */
export function gemv(
  trans: boolean,
  m: number,
  n: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  x: Float32Array,
  beta: number,
  y: Float32Array,
): Float32Array {
  if (!Number.isInteger(m) || m < 0 || !Number.isInteger(n) || n < 0) {
    throw new ValueError(`gemv: m and n must be non-negative integers, got m=${m}, n=${n}`);
  }
  if (!Number.isInteger(lda) || lda < Math.max(1, n)) {
    throw new ShapeError(
      `gemv: lda must be an integer >= ${Math.max(1, n)} (the row length), got ${lda}`,
    );
  }
  checkLength('gemv', 'A', a, m === 0 || n === 0 ? 0 : (m - 1) * lda + n);
  const xLength = trans ? m : n;
  const yLength = trans ? n : m;
  checkLength('gemv', 'x', x, xLength);
  checkLength('gemv', 'y', y, yLength);
  if (beta === 0) y.fill(0, 0, yLength);
  else if (beta !== 1) for (let i = 0; i < yLength; i++) y[i] *= beta;
  if (alpha === 0) return y;
  if (trans) {
    // y += alpha * sum_i x[i] * A[i, :], row by row so A is read with unit stride.
    for (let i = 0; i < m; i++) {
      const scale = alpha * x[i];
      const row = i * lda;
      for (let j = 0; j < n; j++) y[j] += scale * a[row + j];
    }
  } else {
    for (let i = 0; i < m; i++) {
      const row = i * lda;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += a[row + j] * x[j];
      y[i] += alpha * sum;
    }
  }
  return y;
}

function checkLength(fn: string, name: string, array: Float32Array, needed: number): void {
  if (!(array instanceof Float32Array)) {
    throw new DTypeError(`${fn}: ${name} must be a Float32Array, got ${describeValue(array)}`);
  }
  if (!Number.isInteger(needed) || needed < 0) {
    throw new ValueError(`${fn}: the element count must be a non-negative integer, got ${needed}`);
  }
  if (array.length < needed) {
    throw new ShapeError(`${fn}: ${name} needs at least ${needed} elements, got ${array.length}`);
  }
}
