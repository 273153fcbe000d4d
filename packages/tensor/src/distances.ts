import { DTypeError, ShapeError } from './errors.js';
import { matmul } from './matmul.js';
import { rowSquaredNorms } from './rows.js';
import { Tensor } from './tensor.js';

/**
 * D[i, j] = ||a_i - b_j||^2 for the rows of a (n x d) and b (m x d), written to `out`
 * (default: a new n x m tensor) and returned.
 *
 * Expands ||a_i - b_j||^2 = ||a_i||^2 + ||b_j||^2 - 2 a_i . b_j so the bulk of the work is one
 * GEMM (a * b^T). Rounding can make the expansion slightly negative when a_i is close to b_j;
 * such values are set to 0, the true distance being non-negative.
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
  const left = a.contiguous();
  const right = b.contiguous();
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
