import { DTypeError, ShapeError, ValueError, describeValue } from './errors.js';

/**
 * Row-wise kernels over a contiguous row-major matrix `x` of `rows` x `cols` elements: the
 * building blocks of classifiers' outputs (softmax probabilities, log-likelihoods, predicted
 * classes) and of distance computations (squared norms).
 */

/**
 * Replaces each row of `x` by its softmax, exp(x_j - max) / sum_k exp(x_k - max), in place.
 * Subtracting the row maximum first leaves the result unchanged and keeps every exponent <= 0,
 * so nothing overflows. Returns `x`.
 */
export function softmaxRows(x: Float32Array, rows: number, cols: number): Float32Array {
  checkMatrix('softmaxRows', x, rows, cols);
  for (let i = 0; i < rows; i++) {
    const start = i * cols;
    const end = start + cols;
    let max = -Infinity;
    for (let j = start; j < end; j++) if (x[j] > max) max = x[j];
    let total = 0;
    for (let j = start; j < end; j++) {
      const e = Math.exp(x[j] - max);
      x[j] = e;
      total += e;
    }
    const inverse = 1 / total;
    for (let j = start; j < end; j++) x[j] *= inverse;
  }
  return x;
}

/**
 * out[i] = log(sum_j exp(x[i, j])), computed as max + log(sum_j exp(x[i, j] - max)) so it neither
 * overflows nor underflows. A row of all -Infinity gives -Infinity. Returns `out`.
 */
export function logSumExpRows<Out extends Float32Array | Float64Array>(
  x: Float32Array,
  rows: number,
  cols: number,
  out: Out,
): Out {
  checkMatrix('logSumExpRows', x, rows, cols);
  checkOut('logSumExpRows', out, rows);
  for (let i = 0; i < rows; i++) {
    const start = i * cols;
    const end = start + cols;
    let max = -Infinity;
    for (let j = start; j < end; j++) if (x[j] > max) max = x[j];
    if (max === -Infinity || max === Infinity) {
      out[i] = max;
      continue;
    }
    let total = 0;
    for (let j = start; j < end; j++) total += Math.exp(x[j] - max);
    out[i] = max + Math.log(total);
  }
  return out;
}

/** out[i] = the column of the largest value in row i (the first one on ties). Returns `out`. */
export function argmaxRows(
  x: Float32Array,
  rows: number,
  cols: number,
  out: Int32Array,
): Int32Array {
  checkMatrix('argmaxRows', x, rows, cols);
  if (cols === 0 && rows > 0) {
    throw new ShapeError('argmaxRows: rows have no columns, so there is no largest value');
  }
  checkOut('argmaxRows', out, rows);
  for (let i = 0; i < rows; i++) {
    const start = i * cols;
    let best = 0;
    let bestValue = x[start];
    for (let j = 1; j < cols; j++) {
      const value = x[start + j];
      if (value > bestValue) {
        bestValue = value;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/** out[i] = sum_j x[i, j]^2, accumulated in float64. Returns `out`. */
export function rowSquaredNorms<Out extends Float32Array | Float64Array>(
  x: Float32Array,
  rows: number,
  cols: number,
  out: Out,
): Out {
  checkMatrix('rowSquaredNorms', x, rows, cols);
  checkOut('rowSquaredNorms', out, rows);
  for (let i = 0; i < rows; i++) {
    const start = i * cols;
    let sum = 0;
    for (let j = start; j < start + cols; j++) sum += x[j] * x[j];
    out[i] = sum;
  }
  return out;
}

function checkMatrix(fn: string, x: Float32Array, rows: number, cols: number): void {
  if (!(x instanceof Float32Array)) {
    throw new DTypeError(`${fn}: x must be a Float32Array, got ${describeValue(x)}`);
  }
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ValueError(
      `${fn}: rows and cols must be non-negative integers, got ${rows} x ${cols}`,
    );
  }
  if (x.length < rows * cols) {
    throw new ShapeError(
      `${fn}: a ${rows} x ${cols} matrix needs ${rows * cols} elements, got ${x.length}`,
    );
  }
}

function checkOut(fn: string, out: ArrayLike<number>, rows: number): void {
  if (out.length < rows) {
    throw new ShapeError(`${fn}: out needs one element per row (${rows}), got ${out.length}`);
  }
}
