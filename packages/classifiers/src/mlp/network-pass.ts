import { applyDropoutMask, gemm, softmaxCrossEntropy } from '@typedlearn/tensor';
import { activate, multiplyByDerivative } from './activation.js';
import { createInputLayer, type InputLayer } from './input-layer.js';
import { MlpLayout } from './layout.js';
import type { NetworkMemory } from './network-memory.js';

/**
 * The forward and backward pass of an MLP over one mini-batch, cut into steps that each
 * cover a range of one layer, so that worker threads can share a step (see phase-runner.ts):
 * a range of the batch's rows forward, of a layer's units backward, and of the input features
 * (rows of dW_0) for the first layer's weight gradient. Every number is computed by the same
 * operations in the same order whatever the ranges, so any thread count gives the same model.
 *
 * Forward, for hidden layers l (activation f, optional inverted-dropout mask M_l):
 *   Z_l = A_l-1 W_l + b_l,  A_l = f(Z_l) * M_l / keep          (A_0 = the input rows)
 * and the output layer gives the logits Z_L = A_L-1 W_L + b_L.
 *
 * Backward (backpropagation; Goodfellow, Bengio & Courville, "Deep Learning", Algorithm 6.4),
 * with the fused softmax cross-entropy giving delta_L = (softmax(Z_L) - Y) / count (row r
 * times w_r / sum_r w_r instead of 1 / count when the rows are weighted):
 *   dW_l = A_l-1^T delta_l + l2 W_l,  db_l = column sums of delta_l,
 *   delta_l-1 = (delta_l W_l^T) * M_l-1 / keep * f'(Z_l-1).
 */
export class NetworkPass {
  readonly layout: MlpLayout;
  readonly input: InputLayer;
  private sums = new Float64Array(0);

  constructor(readonly memory: NetworkMemory) {
    this.layout = new MlpLayout(memory.sizes);
    this.input = createInputLayer(memory.input);
  }

  /** The logits [count, classes] of the last forward pass (delta_L after `crossEntropy`). */
  get logits(): Float32Array {
    const { outputs } = this.memory;
    return outputs[outputs.length - 1];
  }

  /**
   * Rows [r0, r1) of the current batch through layer l: Z_l, then for hidden layers the
   * activation and, when `dropout`, the mask. A row's numbers do not depend on the other rows.
   */
  forwardLayer(l: number, r0: number, r1: number, dropout: boolean): void {
    const { layout, memory } = this;
    const { params, outputs, sizes } = memory;
    const units = sizes[l + 1];
    const W = layout.weights(params, l);
    const b = layout.bias(params, l);
    const Z = outputs[l];
    if (l === 0) {
      this.input.forward(W, b, units, Z, r0, r1);
    } else {
      const fanIn = sizes[l];
      for (let r = r0; r < r1; r++) Z.set(b, r * units);
      const A = outputs[l - 1];
      gemm(false, false, r1 - r0, units, fanIn, 1, A.subarray(r0 * fanIn), fanIn, W, units, 1, Z.subarray(r0 * units), units); // prettier-ignore
    }
    if (l === layout.layers - 1) return;
    activate(memory.activation, Z, r0 * units, r1 * units);
    if (dropout) applyDropoutMask(Z, memory.masks[l], memory.keep, r0 * units, r1 * units);
  }

  /**
   * After the forward pass: the batch's summed cross-entropy (labels in `memory.labels`),
   * turning the logits into delta_L = (softmax - onehot) / count, the gradient of the batch's
   * mean loss.
   *
   * With `weights` (row r of the batch weighing `weights[r]`, not all 0), the batch's loss is
   * the weighted mean sum_r w_r CE_r / sum_r w_r: the sum returned is sum_r w_r CE_r and
   * delta_L's row r is w_r (softmax - onehot) / sum_r w_r. Computed on the calling thread
   * only, in row order, so the thread count cannot change it.
   */
  crossEntropy(count: number, weights: Float64Array | null = null): number {
    const classes = this.memory.sizes[this.memory.sizes.length - 1];
    const logits = this.logits;
    const { labels } = this.memory;
    if (weights === null) {
      return softmaxCrossEntropy(logits, labels, count, classes, 1 / count, logits);
    }
    let total = 0;
    for (let r = 0; r < count; r++) total += weights[r];
    return softmaxCrossEntropy(logits, labels, count, classes, 1 / total, logits, weights);
  }

  /**
   * Layer l's share of the backward pass (l >= 1; the first layer's is {@link inputGradient}),
   * given delta_l: dW_l and db_l for units [u0, u1) (with weight decay), and delta_l-1 for the
   * previous layer's units [v0, v1).
   */
  backwardLayer(
    l: number,
    count: number,
    u0: number,
    u1: number,
    v0: number,
    v1: number,
    dropout: boolean,
  ): void {
    const { layout, memory } = this;
    const { params, gradient, outputs, deltas, sizes, l2 } = memory;
    const fanIn = sizes[l];
    const units = sizes[l + 1];
    const delta = l === layout.layers - 1 ? this.logits : deltas[l];
    const W = layout.weights(params, l);
    const dW = layout.weights(gradient, l);
    this.biasGradient(l, delta, count, u0, u1);
    const A = outputs[l - 1];
    gemm(true, false, fanIn, u1 - u0, count, 1, A, fanIn, delta.subarray(u0), units, 0, dW.subarray(u0), units); // prettier-ignore
    if (l2 !== 0) {
      for (let j = 0; j < fanIn; j++) {
        for (let u = j * units + u0; u < j * units + u1; u++) dW[u] += l2 * W[u];
      }
    }
    if (v0 === v1) return;
    // delta_l-1[:, v0:v1] = delta_l W_l[v0:v1, :]^T, then through the mask and f'.
    const previous = deltas[l - 1];
    gemm(false, true, count, v1 - v0, units, 1, delta, units, W.subarray(v0 * units), units, 0, previous.subarray(v0), fanIn); // prettier-ignore
    const scale = dropout ? memory.keep : 1;
    // All the units: the batch's rows are one contiguous range (as in forwardLayer).
    const whole = v0 === 0 && v1 === fanIn;
    for (let r = 0; r < (whole ? 1 : count); r++) {
      const start = whole ? 0 : r * fanIn + v0;
      const end = whole ? count * fanIn : r * fanIn + v1;
      if (dropout) applyDropoutMask(previous, memory.masks[l - 1], memory.keep, start, end);
      multiplyByDerivative(memory.activation, A, previous, start, end, scale);
    }
  }

  /**
   * The first layer's share of the backward pass, given delta_0: rows [j0, j1) of dW_0 (the
   * input features'; with weight decay) and, for the share with j0 = 0, db_0. Every element is
   * the same sum whatever the rows, so threads split the features, each writing its own block
   * of dW_0 (split by units, their writes would interleave within each row).
   */
  inputGradient(count: number, j0: number, j1: number): void {
    const { layout, memory } = this;
    const { params, gradient, deltas, sizes, l2 } = memory;
    const units = sizes[1];
    const delta = layout.layers === 1 ? this.logits : deltas[0];
    const W = layout.weights(params, 0);
    const dW = layout.weights(gradient, 0);
    if (j0 === 0) this.biasGradient(0, delta, count, 0, units);
    this.input.weightGradient(delta, units, dW, j0, j1);
    if (l2 !== 0) for (let i = j0 * units; i < j1 * units; i++) dW[i] += l2 * W[i];
  }

  /** db_l[u] = sum over the batch's rows of delta[r, u], for u in [u0, u1). */
  private biasGradient(
    l: number,
    delta: Float32Array,
    count: number,
    u0: number,
    u1: number,
  ): void {
    const units = this.memory.sizes[l + 1];
    const db = this.layout.bias(this.memory.gradient, l);
    // Summed in float64 in row order, a row at a time.
    const sums = this.sumsOf(units);
    sums.fill(0, u0, u1);
    for (let r = 0; r < count; r++) {
      const row = r * units;
      for (let u = u0; u < u1; u++) sums[u] += delta[row + u];
    }
    for (let u = u0; u < u1; u++) db[u] = sums[u];
  }

  /** Float64 scratch of at least `length` values, kept from call to call. */
  private sumsOf(length: number): Float64Array {
    if (this.sums.length < length) this.sums = new Float64Array(length);
    return this.sums;
  }

  /** sum of W^2 over every weight (not the biases), for the loss's L2 term. */
  weightSquares(): number {
    const { layout } = this;
    const { params } = this.memory;
    let total = 0;
    for (let l = 0; l < layout.layers; l++) {
      const start = layout.weightOffsets[l];
      const end = start + layout.sizes[l] * layout.sizes[l + 1];
      for (let i = start; i < end; i++) total += params[i] * params[i];
    }
    return total;
  }
}
