import { gemm } from '@typedlearn/tensor';
import { SparseRows } from '../optim/sparse-rows.js';

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
 * Products on the nonzeros of X only (compressed sparse rows), accumulated in float64: row i's
 * scores are intercept + sum over its nonzeros x_ij of x_ij * W[j, :], and each nonzero adds
 * x_ij * R[i, :] to row j of X^T R. Classes are taken five at a time (MNIST's ten in two
 * passes), so five running sums, or five residuals, stay in registers while a row's nonzeros
 * stream past; classes left over are taken one at a time.
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
    const { rowStart, columns, values } = this.x;
    const interceptAt = this.x.cols * classes;
    for (let r = 0; r < count; r++) {
      const i = rowList[r];
      const o = r * classes;
      const begin = rowStart[i];
      const end = rowStart[i + 1];
      let k = 0;
      for (; k + 5 <= classes; k += 5) {
        let s0 = params[interceptAt + k];
        let s1 = params[interceptAt + k + 1];
        let s2 = params[interceptAt + k + 2];
        let s3 = params[interceptAt + k + 3];
        let s4 = params[interceptAt + k + 4];
        for (let q = begin; q < end; q++) {
          const v = values[q];
          const w = columns[q] * classes + k;
          s0 += v * params[w];
          s1 += v * params[w + 1];
          s2 += v * params[w + 2];
          s3 += v * params[w + 3];
          s4 += v * params[w + 4];
        }
        out[o + k] = s0;
        out[o + k + 1] = s1;
        out[o + k + 2] = s2;
        out[o + k + 3] = s3;
        out[o + k + 4] = s4;
      }
      for (; k < classes; k++) {
        let s = params[interceptAt + k];
        for (let q = begin; q < end; q++) s += values[q] * params[columns[q] * classes + k];
        out[o + k] = s;
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
    const { rowStart, columns, values } = this.x;
    out.fill(0, 0, this.x.cols * classes);
    for (let r = 0; r < count; r++) {
      const i = rowList[r];
      const o = r * classes;
      const begin = rowStart[i];
      const end = rowStart[i + 1];
      let k = 0;
      for (; k + 5 <= classes; k += 5) {
        const r0 = residual[o + k];
        const r1 = residual[o + k + 1];
        const r2 = residual[o + k + 2];
        const r3 = residual[o + k + 3];
        const r4 = residual[o + k + 4];
        for (let q = begin; q < end; q++) {
          const v = values[q];
          const w = columns[q] * classes + k;
          out[w] += v * r0;
          out[w + 1] += v * r1;
          out[w + 2] += v * r2;
          out[w + 3] += v * r3;
          out[w + 4] += v * r4;
        }
      }
      for (; k < classes; k++) {
        const rk = residual[o + k];
        for (let q = begin; q < end; q++) out[columns[q] * classes + k] += values[q] * rk;
      }
    }
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
