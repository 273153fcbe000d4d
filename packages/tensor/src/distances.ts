import { DTypeError, ShapeError } from './errors.js';
import { matmul } from './matmul.js';
import { rowSquaredNorms } from './rows.js';
import { Tensor } from './tensor.js';

/**
 * D[i, j] = ||a_i - b_j||^2 for the rows of a (n x d) and b (m x d), written to `out`
 * (default: a new n x m tensor) and returned.
 *
 * Expands ||a_i - b_j||^2 = ||a_i||^2 + ||b_j||^2 - 2 a_i . b_j so the bulk of the work is one
 * GEMM (a * b^T). The expansion cancels: its rounding error grows with the norms, not with the
 * distance, so rows far from the origin (say pixels in [99, 101]) would lose every digit of
 * small distances, all the more on the `wasm-simd` backend, whose GEMM sums in float32. Distances
 * do not change when both sets move by the same vector, so the rows are first shifted by their
 * column means rounded to integers (no copy when every rounded mean is 0, as for features in
 * [0, 1]); subtracting a nearby integer is exact or nearly so, and integer data stay integers.
 * Rounding can still make the expansion slightly negative when a_i is close to b_j; such values
 * are set to 0, the true distance being non-negative.
 */
export function pairwiseSquaredDistances(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new DTypeError(
      `pairwiseSquaredDistances: a and b must be float32 tensors, got ${a.dtype} and ${b.dtype}`,
    );
  }
  const [n, d] = a.matrixShape('pairwiseSquaredDistances a');
  const [m, db] = b.matrixShape('pairwiseSquaredDistances b');
  if (d !== db) {
    throw new ShapeError(
      `pairwiseSquaredDistances: a has ${d} columns but b has ${db}; expected the same number of features`,
    );
  }
  const shift = roundedColumnMeans(a, b, d);
  const left = shift === undefined ? a.contiguous() : shifted(a, shift);
  const right = shift === undefined ? b.contiguous() : b === a ? left : shifted(b, shift);
  const leftNorms = rowSquaredNorms(left.data.subarray(left.offset), n, d, new Float64Array(n));
  const rightNorms = rowSquaredNorms(right.data.subarray(right.offset), m, d, new Float64Array(m));
  const result = matmul(left, right, { transB: true, alpha: -2, out });
  const values = result.data;
  const ld = n > 1 ? result.strides[0] : m;
  for (let i = 0; i < n; i++) {
    const row = result.offset + i * ld;
    const leftNorm = leftNorms[i];
    for (let j = 0; j < m; j++) {
      const distance = values[row + j] + leftNorm + rightNorms[j];
      values[row + j] = distance > 0 ? distance : 0;
    }
  }
  return result;
}

/**
 * The column means of the rows of a and b together, rounded to integers (0 where not finite);
 * undefined when all are 0.
 */
function roundedColumnMeans(a: Tensor, b: Tensor, d: number): Float64Array | undefined {
  const sums = new Float64Array(d);
  for (const x of [a, b]) {
    const [rows] = x.matrixShape();
    const [rowStride, colStride] = x.strides;
    for (let i = 0; i < rows; i++) {
      const start = x.offset + i * rowStride;
      for (let j = 0; j < d; j++) sums[j] += x.data[start + j * colStride];
    }
  }
  const count = a.shape[0] + b.shape[0];
  let any = false;
  for (let j = 0; j < d; j++) {
    const mean = sums[j] / count;
    // A NaN or infinite element must stay in its own rows' distances, not reach every row.
    sums[j] = Number.isFinite(mean) ? Math.round(mean) : 0;
    any ||= sums[j] !== 0;
  }
  return any ? sums : undefined;
}

/** A contiguous copy of the rows of x minus `shift`. */
function shifted(x: Tensor, shift: Float64Array): Tensor {
  const [rows, cols] = x.matrixShape();
  const [rowStride, colStride] = x.strides;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const start = x.offset + i * rowStride;
    for (let j = 0; j < cols; j++) out[i * cols + j] = x.data[start + j * colStride] - shift[j];
  }
  return new Tensor(out, [rows, cols]);
}
