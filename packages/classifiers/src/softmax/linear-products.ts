import {
  gemm,
  sparseDenseProduct,
  sparseTransposeDenseProduct,
  type SparseRows,
} from '@typedlearn/tensor';

/**
 * The two products with the training matrix X [n, d] that softmax regression needs, for the
 * rows `rowList[0..count)` (a block of the full batch, or a mini-batch). Parameters
 * live in one float64 vector, feature-major: the weight of feature j for class k is
 * `params[j * classes + k]`, and the intercepts follow at `params[d * classes + k]`.
 */
export interface LinearProducts {
  /** out[r, k] = intercept_k + sum_j X[row_r, j] * W[j, k], for r < count. */
  scores(
    rowList: Int32Array,
    count: number,
    params: Float64Array,
    classes: number,
    out: Float64Array,
  ): void;
  /** out[j, k] = sum_r X[row_r, j] * residual[r, k]: the weight part of X^T R. */
  transposeTimes(
    rowList: Int32Array,
    count: number,
    residual: Float64Array,
    classes: number,
    out: Float64Array,
  ): void;
  /** The mean of x_ij^2 over all rows, for each feature j. */
  columnMeanSquares(): Float64Array;
}

/**
 * Products on the nonzeros of X only (compressed sparse rows), by the tensor core's sparse
 * kernels on float64 operands (`sparseDenseProduct`, `sparseTransposeDenseProduct`): row i's
 * scores are intercept + sum over its nonzeros x_ij of x_ij * W[j, :], and each nonzero adds
 * x_ij * R[i, :] to row j of X^T R, all summed in float64.
 */
export class SparseLinearProducts implements LinearProducts {
  constructor(private readonly x: SparseRows) {}

  scores(
    rowList: Int32Array,
    count: number,
    params: Float64Array,
    classes: number,
    out: Float64Array,
  ): void {
    const interceptAt = this.x.cols * classes;
    const intercepts = params.subarray(interceptAt, interceptAt + classes);
    for (let r = 0; r < count; r++) out.set(intercepts, r * classes);
    sparseDenseProduct(this.x, rowList, 0, count, false, classes, params, classes, 1, out, classes); // prettier-ignore
  }

  transposeTimes(
    rowList: Int32Array,
    count: number,
    residual: Float64Array,
    classes: number,
    out: Float64Array,
  ): void {
    sparseTransposeDenseProduct(this.x, rowList, 0, count, classes, residual, classes, 0, out, classes); // prettier-ignore
  }

  columnMeanSquares(): Float64Array {
    const { rows, cols, columns, values } = this.x;
    const out = new Float64Array(cols);
    for (let q = 0; q < values.length; q++) out[columns[q]] += values[q] * values[q];
    for (let j = 0; j < cols; j++) out[j] /= rows;
    return out;
  }
}

/**
 * Products by the tensor core's float32 GEMM, for dense data: S = X W and X^T R with the
 * float64 parameters and residuals rounded to float32 for the product and the results widened
 * back. Buffers are allocated once, for calls of at most `maxRows` rows.
 */
export class DenseLinearProducts implements LinearProducts {
  private readonly weights32: Float32Array;
  private readonly product32: Float32Array;
  private readonly rows32: Float32Array;
  private readonly gathered: Float32Array;

  constructor(
    private readonly x: Float32Array,
    private readonly rows: number,
    private readonly cols: number,
    classes: number,
    maxRows: number,
  ) {
    this.weights32 = new Float32Array(cols * classes);
    this.product32 = new Float32Array(Math.max(maxRows, cols) * classes);
    this.rows32 = new Float32Array(maxRows * classes);
    this.gathered = new Float32Array(maxRows * cols);
  }

  scores(
    rowList: Int32Array,
    count: number,
    params: Float64Array,
    classes: number,
    out: Float64Array,
  ): void {
    const { cols, weights32, product32 } = this;
    for (let i = 0; i < cols * classes; i++) weights32[i] = params[i];
    const a = this.rowBlock(rowList, count);
    gemm(false, false, count, classes, cols, 1, a, cols, weights32, classes, 0, product32, classes);
    const interceptAt = cols * classes;
    for (let r = 0; r < count; r++) {
      for (let k = 0; k < classes; k++) {
        out[r * classes + k] = params[interceptAt + k] + product32[r * classes + k];
      }
    }
  }

  transposeTimes(
    rowList: Int32Array,
    count: number,
    residual: Float64Array,
    classes: number,
    out: Float64Array,
  ): void {
    const { cols, rows32, product32 } = this;
    for (let i = 0; i < count * classes; i++) rows32[i] = residual[i];
    const a = this.rowBlock(rowList, count);
    gemm(true, false, cols, classes, count, 1, a, cols, rows32, classes, 0, product32, classes);
    for (let i = 0; i < cols * classes; i++) out[i] = product32[i];
  }

  columnMeanSquares(): Float64Array {
    const { rows, cols, x } = this;
    const out = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[j] += x[i * cols + j] * x[i * cols + j];
    }
    for (let j = 0; j < cols; j++) out[j] /= rows;
    return out;
  }

  /**
   * X's rows for this call as one contiguous block: a view of X when they are consecutive
   * rows in order (a block of the full batch), otherwise the rows gathered (a mini-batch).
   */
  private rowBlock(rowList: Int32Array, count: number): Float32Array {
    const { cols, gathered, x } = this;
    const first = rowList[0];
    let consecutive = true;
    for (let r = 1; r < count && consecutive; r++) consecutive = rowList[r] === first + r;
    if (consecutive) return x.subarray(first * cols, (first + count) * cols);
    for (let r = 0; r < count; r++) {
      gathered.set(x.subarray(rowList[r] * cols, (rowList[r] + 1) * cols), r * cols);
    }
    return gathered;
  }
}
