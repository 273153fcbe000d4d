import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { SparseRows } from '../optim/sparse-rows.js';
import {
  DenseLinearProducts,
  SparseLinearProducts,
  type LinearProducts,
} from './linear-products.js';

/**
 * Rows per block of the full-batch objective. Each block's terms are computed separately and
 * the blocks summed in order, so the result does not depend on how many threads share them.
 */
export const BLOCK_ROWS = 4096;

/**
 * Everything the objective reads and writes, as plain data, so that worker threads given
 * this object (its arrays in shared memory) compute blocks of the same objective.
 */
export interface SoftmaxMemory {
  /** Identifies one fit, so a worker rebuilds its objective only when a new fit starts. */
  id: string;
  rows: number;
  features: number;
  classes: number;
  /** 1 / (C n): the weight of ||W||^2 / 2 in the objective. */
  penalty: number;
  input:
    | { format: 'sparse'; rowStart: Int32Array; columns: Int32Array; values: Float32Array }
    | { format: 'dense'; x: Float32Array };
  /** Class index of each training row. */
  labels: Int32Array;
  /** 0, 1, ..., rows - 1: block b's row list is a slice of it. */
  allRows: Int32Array;
  /** The point being evaluated, written before the blocks are computed. */
  params: Float64Array;
  /** Block b's cross-entropy gradient (already divided by n), at [b * size, (b + 1) * size). */
  blockGradients: Float64Array;
  /** Block b's summed cross-entropy. */
  blockLosses: Float64Array;
}

/** Number of blocks of {@link BLOCK_ROWS} rows covering `rows` rows. */
export function blockCount(rows: number): number {
  return Math.ceil(rows / BLOCK_ROWS);
}

/**
 * The objective of L2-regularised multinomial logistic regression, in float64:
 *
 *   F(W, b) = (1/n) sum_i CE_i + ||W||_F^2 / (2 C n),   CE_i = -log softmax(W^T x_i + b)[y_i]
 *
 * which is scikit-learn's C * sum_i CE_i + ||W||_F^2 / 2 divided by C n: the same minimiser,
 * on a scale that does not grow with n, so one gradient tolerance suits any training-set size.
 * The intercepts b are not penalised. The gradient is
 *
 *   dF/dW = X^T (P - Y) / n + W / (C n),   dF/db = sum_i (p_i - y_i) / n
 *
 * with P the softmax probabilities and Y the one-hot labels (see softmax-cross-entropy.ts).
 * A mini-batch B estimates it with (1/|B|) sum_{i in B} in place of (1/n) sum_i.
 *
 * Parameters are feature-major, as {@link LinearProducts} describes.
 */
export class SoftmaxObjective {
  readonly size: number;
  private readonly products: LinearProducts;
  private readonly scores: Float64Array;
  private readonly batchLabels: Int32Array;

  /** `batchSize`: rows per mini-batch for {@link evaluateBatch}; undefined for full batches. */
  constructor(
    readonly memory: SoftmaxMemory,
    batchSize?: number,
  ) {
    const { rows, features, classes, input } = memory;
    const maxRows = Math.max(Math.min(BLOCK_ROWS, rows), batchSize ?? 0);
    this.size = (features + 1) * classes;
    this.products =
      input.format === 'sparse'
        ? new SparseLinearProducts(
            new SparseRows(rows, features, input.rowStart, input.columns, input.values),
          )
        : new DenseLinearProducts(input.x, rows, features, classes, maxRows);
    this.scores = new Float64Array(maxRows * classes);
    this.batchLabels = new Int32Array(batchSize ?? 0);
  }

  /** Number of blocks the full-batch objective is cut into. */
  get blocks(): number {
    return blockCount(this.memory.rows);
  }

  /**
   * Block b's terms at `memory.params`: its summed cross-entropy into `blockLosses[b]` and its
   * part of X^T (P - Y) / n and of the intercepts' gradient into `blockGradients`.
   */
  evaluateBlock(b: number): void {
    const { memory, products, scores, size } = this;
    const { classes, rows, params } = memory;
    const first = b * BLOCK_ROWS;
    const count = Math.min(BLOCK_ROWS, rows - first);
    const rowList = memory.allRows.subarray(first, first + count);
    const labels = memory.labels.subarray(first, first + count);
    products.scores(rowList, count, params, classes, scores);
    // scores become the residual (P - Y) / n in place.
    memory.blockLosses[b] = softmaxCrossEntropy(scores, labels, count, classes, 1 / rows, scores);
    const gradient = memory.blockGradients.subarray(b * size, (b + 1) * size);
    products.transposeTimes(rowList, count, scores, classes, gradient);
    columnSums(scores, count, classes, gradient.subarray(memory.features * classes));
  }

  /** F and its gradient at `memory.params` from the block terms (summed in block order). */
  combine(gradient: Float64Array): number {
    const { memory, size } = this;
    const { params, penalty, blockGradients, blockLosses } = memory;
    gradient.fill(0);
    let crossEntropy = 0;
    for (let b = 0; b < this.blocks; b++) {
      crossEntropy += blockLosses[b];
      const offset = b * size;
      for (let i = 0; i < size; i++) gradient[i] += blockGradients[offset + i];
    }
    return (
      crossEntropy / memory.rows +
      addPenalty(params, memory.features * memory.classes, penalty, gradient)
    );
  }

  /** F and its gradient at `params`, every block on this thread. */
  evaluate(params: Float64Array, gradient: Float64Array): number {
    this.memory.params.set(params);
    for (let b = 0; b < this.blocks; b++) this.evaluateBlock(b);
    return this.combine(gradient);
  }

  /** The mini-batch estimate of F and its gradient over rows `rowList[0..count)`. */
  evaluateBatch(
    rowList: Int32Array,
    count: number,
    params: Float64Array,
    gradient: Float64Array,
  ): number {
    const { memory, products, scores, batchLabels } = this;
    const { classes, features } = memory;
    for (let r = 0; r < count; r++) batchLabels[r] = memory.labels[rowList[r]];
    products.scores(rowList, count, params, classes, scores);
    const crossEntropy = softmaxCrossEntropy(
      scores,
      batchLabels,
      count,
      classes,
      1 / count,
      scores,
    );
    products.transposeTimes(rowList, count, scores, classes, gradient);
    columnSums(scores, count, classes, gradient.subarray(features * classes));
    return crossEntropy / count + addPenalty(params, features * classes, memory.penalty, gradient);
  }

  /**
   * The inverse of F's Hessian diagonal at W = 0, b = 0 (where every probability is 1/k), as
   * an L-BFGS preconditioner: d^2F / dW_jk^2 = mean_i(x_ij^2) p (1 - p) + 1 / (C n) with
   * p = 1/k, and d^2F / db_k^2 = p (1 - p). Pixels differ a thousandfold in mean square (border
   * against centre), so without it L-BFGS spends its first iterations learning these scales.
   */
  diagonalPreconditioner(): Float64Array {
    const { classes, features, penalty } = this.memory;
    const meanSquares = this.products.columnMeanSquares();
    const p = 1 / classes;
    const curvature = p * (1 - p);
    const out = new Float64Array(this.size);
    for (let j = 0; j < features; j++) {
      const inverse = 1 / (meanSquares[j] * curvature + penalty);
      for (let k = 0; k < classes; k++) out[j * classes + k] = inverse;
    }
    for (let k = 0; k < classes; k++) out[features * classes + k] = 1 / curvature;
    return out;
  }
}

/** out[k] = sum over the first `rows` rows of m[r, k]. */
function columnSums(m: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let k = 0; k < cols; k++) {
    let total = 0;
    for (let r = 0; r < rows; r++) total += m[r * cols + k];
    out[k] = total;
  }
}

/** gradient += penalty * W over the first `weights` parameters; returns penalty * ||W||^2 / 2. */
function addPenalty(
  params: Float64Array,
  weights: number,
  penalty: number,
  gradient: Float64Array,
): number {
  let squares = 0;
  for (let i = 0; i < weights; i++) {
    const w = params[i];
    squares += w * w;
    gradient[i] += penalty * w;
  }
  return 0.5 * penalty * squares;
}
