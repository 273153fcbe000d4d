import { softmaxCrossEntropy } from '../optim/softmax-cross-entropy.js';
import type { LinearProducts } from './linear-products.js';

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
  private readonly scores: Float64Array;
  private readonly batchLabels: Int32Array;
  private readonly penalty: number;

  constructor(
    private readonly products: LinearProducts,
    private readonly labels: Int32Array,
    private readonly features: number,
    private readonly classes: number,
    C: number,
    /** Rows per mini-batch; undefined for full-batch evaluation only. */
    batchSize?: number,
  ) {
    const rows = labels.length;
    this.size = (features + 1) * classes;
    this.scores = new Float64Array((batchSize ?? rows) * classes);
    this.batchLabels = new Int32Array(batchSize ?? 0);
    this.penalty = 1 / (C * rows);
  }

  /**
   * The inverse of F's Hessian diagonal at W = 0, b = 0 (where every probability is 1/k), as
   * an L-BFGS preconditioner: d^2F / dW_jk^2 = mean_i(x_ij^2) p (1 - p) + 1 / (C n) with
   * p = 1/k, and d^2F / db_k^2 = p (1 - p). Pixels differ a thousandfold in mean square (border
   * against centre), so without it L-BFGS spends its first iterations learning these scales.
   */
  diagonalPreconditioner(): Float64Array {
    const { classes, features, penalty } = this;
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

  /** F and its gradient over every training row. */
  evaluate(params: Float64Array, gradient: Float64Array): number {
    return this.evaluateRows(null, this.labels.length, this.labels, params, gradient);
  }

  /** The mini-batch estimate of F and its gradient over rows `rowList[0..count)`. */
  evaluateBatch(
    rowList: Int32Array,
    count: number,
    params: Float64Array,
    gradient: Float64Array,
  ): number {
    for (let r = 0; r < count; r++) this.batchLabels[r] = this.labels[rowList[r]];
    return this.evaluateRows(rowList, count, this.batchLabels, params, gradient);
  }

  private evaluateRows(
    rowList: Int32Array | null,
    count: number,
    labels: Int32Array,
    params: Float64Array,
    gradient: Float64Array,
  ): number {
    const { products, scores, classes, penalty } = this;
    const weightCount = this.features * classes;
    products.scores(rowList, count, params, classes, scores);
    // scores become the residual (P - Y) / count in place.
    const crossEntropy = softmaxCrossEntropy(scores, labels, count, classes, 1 / count, scores);
    products.transposeTimes(rowList, count, scores, classes, gradient);

    let squaredNorm = 0;
    for (let i = 0; i < weightCount; i++) {
      const w = params[i];
      squaredNorm += w * w;
      gradient[i] += penalty * w;
    }
    for (let k = 0; k < classes; k++) {
      let total = 0;
      for (let r = 0; r < count; r++) total += scores[r * classes + k];
      gradient[weightCount + k] = total;
    }
    return crossEntropy / count + 0.5 * penalty * squaredNorm;
  }
}
