import { SparseRows, allocate, softmaxCrossEntropy, type Allocator } from '@typedlearn/tensor';
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
  /** 1 / (C S): the weight of ||W||^2 / 2 in the objective. */
  penalty: number;
  /**
   * The weight w_i of each training row in the loss (its sample weight times its class
   * weight), or null when every row weighs 1.
   */
  weights: Float64Array | null;
  /** S = sum_i w_i: the number of rows when `weights` is null. */
  totalWeight: number;
  input:
    | { format: 'sparse'; rowStart: Int32Array; columns: Int32Array; values: Float32Array }
    | { format: 'dense'; x: Float32Array };
  /** Class index of each training row. */
  labels: Int32Array;
  /** 0, 1, ..., rows - 1: block b's row list is a slice of it. */
  allRows: Int32Array;
  /** The point being evaluated, written before the blocks are computed. */
  params: Float64Array;
  /** Block b's cross-entropy gradient (already divided by S), at [b * size, (b + 1) * size). */
  blockGradients: Float64Array;
  /** Block b's summed (weighted) cross-entropy. */
  blockLosses: Float64Array;
}

/** Number of blocks of {@link BLOCK_ROWS} rows covering `rows` rows. */
export function blockCount(rows: number): number {
  return Math.ceil(rows / BLOCK_ROWS);
}

/**
 * The objective of L2-regularised multinomial logistic regression, in float64, with row i
 * weighing w_i (its sample weight times its class weight; all 1 without weights) and
 * S = sum_i w_i (n without weights):
 *
 *   F(W, b) = (1/S) sum_i w_i CE_i + ||W||_F^2 / (2 C S),   CE_i = -log softmax(W^T x_i + b)[y_i]
 *
 * which is scikit-learn's C * sum_i w_i CE_i + ||W||_F^2 / 2 (`LogisticRegression` with
 * `sample_weight`) divided by C S, as scikit-learn's own loss is divided by the weight sum:
 * the same minimiser, on a scale that does not grow with the data, so one gradient tolerance
 * suits any training-set size, and rows of weight 2 give exactly the function of those rows
 * twice (rows of weight 0, that of the other rows). The intercepts b are not penalised. The
 * gradient is
 *
 *   dF/dW = X^T D (P - Y) / S + W / (C S),   dF/db = sum_i w_i (p_i - y_i) / S
 *
 * with P the softmax probabilities, Y the one-hot labels (see @typedlearn/tensor's softmax-cross-entropy.ts) and
 * D the diagonal matrix of the w_i. A mini-batch B estimates it without bias with
 * (n / (S |B|)) sum_{i in B} w_i in place of (1/S) sum_i w_i (1/|B| sum_{i in B} without
 * weights).
 *
 * Parameters are feature-major, as {@link LinearProducts} describes.
 */
export class SoftmaxObjective {
  readonly size: number;
  private products: LinearProducts;
  private readonly scores: Float64Array;
  private readonly batchLabels: Int32Array;
  private readonly batchWeights: Float64Array;

  /** `batchSize`: rows per mini-batch for {@link evaluateBatch}; undefined for full batches. */
  /** `allocator` makes the scores buffer (a `KernelsArena`'s lets the kernels use it in place). */
  constructor(
    readonly memory: SoftmaxMemory,
    batchSize?: number,
    allocator: Allocator = allocate,
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
    this.scores = allocator('float64', maxRows * classes);
    this.batchLabels = new Int32Array(batchSize ?? 0);
    this.batchWeights = new Float64Array(memory.weights === null ? 0 : (batchSize ?? 0));
  }

  /**
   * To be called when the rows of a sparse `memory.input` were refilled or `memory.rows`
   * changed (`partialFit` reuses the arrays from call to call): the products read X through a
   * `SparseRows`, which the `'wasm-simd'` kernels copy once, so it is made anew.
   */
  inputChanged(): void {
    const { rows, features, input } = this.memory;
    if (input.format !== 'sparse') return;
    this.products = new SparseLinearProducts(
      new SparseRows(rows, features, input.rowStart, input.columns, input.values),
    );
  }

  /** Number of blocks the full-batch objective is cut into. */
  get blocks(): number {
    return blockCount(this.memory.rows);
  }

  /**
   * Block b's terms at `memory.params`: its summed (weighted) cross-entropy into
   * `blockLosses[b]` and its part of X^T D (P - Y) / S and of the intercepts' gradient into
   * `blockGradients`.
   */
  evaluateBlock(b: number): void {
    const { memory, products, scores, size } = this;
    const { classes, rows, params, weights, totalWeight } = memory;
    const first = b * BLOCK_ROWS;
    const count = Math.min(BLOCK_ROWS, rows - first);
    const rowList = memory.allRows.subarray(first, first + count);
    const labels = memory.labels.subarray(first, first + count);
    const blockWeights = weights === null ? null : weights.subarray(first, first + count);
    products.scores(rowList, count, params, classes, scores);
    // scores become the residual D (P - Y) / S in place.
    memory.blockLosses[b] = softmaxCrossEntropy(
      scores,
      labels,
      count,
      classes,
      1 / totalWeight,
      scores,
      blockWeights,
    );
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
      crossEntropy / memory.totalWeight +
      addPenalty(params, memory.features * memory.classes, penalty, gradient)
    );
  }

  /** F and its gradient at `params`, every block on this thread. */
  evaluate(params: Float64Array, gradient: Float64Array): number {
    this.memory.params.set(params);
    for (let b = 0; b < this.blocks; b++) this.evaluateBlock(b);
    return this.combine(gradient);
  }

  /**
   * The mini-batch estimate of F and its gradient over rows `rowList[0..count)`: the batch's
   * cross-entropy terms scaled by 1/|B| (by n / (S |B|), each times w_i, with weights), so
   * that over a random batch the estimate's expectation is F.
   */
  evaluateBatch(
    rowList: Int32Array,
    count: number,
    params: Float64Array,
    gradient: Float64Array,
  ): number {
    const { memory, products, scores, batchLabels } = this;
    const { classes, features, weights } = memory;
    for (let r = 0; r < count; r++) batchLabels[r] = memory.labels[rowList[r]];
    let batchWeights: Float64Array | null = null;
    let scale = 1 / count;
    if (weights !== null) {
      batchWeights = this.batchWeights;
      for (let r = 0; r < count; r++) batchWeights[r] = weights[rowList[r]];
      scale = memory.rows / (memory.totalWeight * count);
    }
    products.scores(rowList, count, params, classes, scores);
    const crossEntropy = softmaxCrossEntropy(
      scores,
      batchLabels,
      count,
      classes,
      scale,
      scores,
      batchWeights,
    );
    products.transposeTimes(rowList, count, scores, classes, gradient);
    columnSums(scores, count, classes, gradient.subarray(features * classes));
    const dataTerm = weights === null ? crossEntropy / count : crossEntropy * scale;
    return dataTerm + addPenalty(params, features * classes, memory.penalty, gradient);
  }

  /**
   * The inverse of F's Hessian diagonal at W = 0, b = 0 (where every probability is 1/k), as
   * an L-BFGS preconditioner: d^2F / dW_jk^2 = mean_i(x_ij^2) p (1 - p) + 1 / (C S) with
   * p = 1/k and the mean weighted by the w_i, and d^2F / db_k^2 = p (1 - p). Pixels differ a
   * thousandfold in mean square (border against centre), so without it L-BFGS spends its
   * first iterations learning these scales.
   */
  diagonalPreconditioner(): Float64Array {
    const { classes, features, penalty, weights } = this.memory;
    const meanSquares =
      weights === null
        ? this.products.columnMeanSquares()
        : weightedColumnMeanSquares(this.memory, weights);
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

/** sum_i w_i x_ij^2 / S for each feature j: the weighted mean square of each column of X. */
function weightedColumnMeanSquares(memory: SoftmaxMemory, weights: Float64Array): Float64Array {
  const { rows, features, input, totalWeight } = memory;
  const out = new Float64Array(features);
  if (input.format === 'sparse') {
    const { rowStart, columns, values } = input;
    for (let i = 0; i < rows; i++) {
      for (let q = rowStart[i]; q < rowStart[i + 1]; q++) {
        out[columns[q]] += weights[i] * values[q] * values[q];
      }
    }
  } else {
    const { x } = input;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < features; j++)
        out[j] += weights[i] * x[i * features + j] * x[i * features + j];
    }
  }
  for (let j = 0; j < features; j++) out[j] /= totalWeight;
  return out;
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
