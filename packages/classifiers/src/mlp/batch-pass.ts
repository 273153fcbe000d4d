import { gemm } from '@typedlearn/tensor';
import { softmaxCrossEntropy } from '../optim/softmax-cross-entropy.js';
import { activate, multiplyByDerivative, type Activation } from './activation.js';
import type { DropoutMasks } from './dropout.js';
import type { InputLayer } from './input-layer.js';
import type { MlpLayout } from './layout.js';

/**
 * The forward and backward pass of an MLP over one mini-batch, with every buffer allocated
 * once for batches of up to `batchSize` rows.
 *
 * Forward, for hidden layers l (activation f, optional inverted-dropout mask M_l):
 *   Z_l = A_l-1 W_l + b_l,  A_l = f(Z_l) * M_l          (A_0 = the input rows)
 * and the output layer gives the logits Z_L = A_L-1 W_L + b_L.
 *
 * Backward (backpropagation; Goodfellow, Bengio & Courville, "Deep Learning", Algorithm 6.4),
 * with the fused softmax cross-entropy giving delta_L = (softmax(Z_L) - Y) / count:
 *   dW_l = A_l-1^T delta_l + l2 W_l,  db_l = column sums of delta_l,
 *   delta_l-1 = (delta_l W_l^T) * M_l-1 * f'(Z_l-1).
 */
export class BatchPass {
  /** A_1..A_L-1 (after dropout) and, last, the logits Z_L: one [batchSize, units] buffer each. */
  readonly outputs: Float32Array[];
  private readonly deltaA: Float32Array;
  private readonly deltaB: Float32Array;

  constructor(
    private readonly layout: MlpLayout,
    private readonly activation: Activation,
    readonly input: InputLayer,
    readonly batchSize: number,
  ) {
    const { sizes } = layout;
    this.outputs = sizes.slice(1).map((units) => new Float32Array(batchSize * units));
    const widest = Math.max(...sizes.slice(1));
    this.deltaA = new Float32Array(batchSize * widest);
    this.deltaB = new Float32Array(batchSize * widest);
  }

  /** The logits [count, classes] of the last forward pass. */
  get logits(): Float32Array {
    return this.outputs[this.outputs.length - 1];
  }

  /**
   * Runs the batch `rowList[0..count)` (already passed to `input.prepare`) through the
   * network. With `dropout`, hidden activations are multiplied by its masks.
   */
  forward(params: Float32Array, count: number, dropout: DropoutMasks | null): void {
    const { layout, outputs, activation } = this;
    const { sizes } = layout;
    const last = layout.layers - 1;
    for (let l = 0; l <= last; l++) {
      const units = sizes[l + 1];
      const W = layout.weights(params, l);
      const b = layout.bias(params, l);
      const Z = outputs[l];
      if (l === 0) {
        this.input.forward(W, b, units, Z, 0, units);
      } else {
        const fanIn = sizes[l];
        for (let r = 0; r < count; r++) Z.set(b, r * units);
        gemm(false, false, count, units, fanIn, 1, outputs[l - 1], fanIn, W, units, 1, Z, units);
      }
      if (l < last) {
        activate(activation, Z, 0, count * units);
        dropout?.apply(l, Z, count * units);
      }
    }
  }

  /**
   * After `forward`, the batch's mean cross-entropy plus (l2 / 2) * sum ||W_l||^2, with its
   * gradient written to `gradient` (same layout as `params`). `labels[r]` is row r's class.
   * Overwrites the logits with delta_L.
   */
  backward(
    params: Float32Array,
    count: number,
    labels: Int32Array,
    l2: number,
    dropout: DropoutMasks | null,
    gradient: Float32Array,
  ): number {
    const { layout, outputs, activation } = this;
    const { sizes } = layout;
    const classes = sizes[sizes.length - 1];
    let delta = this.logits;
    const crossEntropy = softmaxCrossEntropy(delta, labels, count, classes, 1 / count, delta);
    let spare = this.deltaA;
    for (let l = layout.layers - 1; l >= 0; l--) {
      const fanIn = sizes[l];
      const units = sizes[l + 1];
      const W = layout.weights(params, l);
      const dW = layout.weights(gradient, l);
      columnSums(delta, count, units, layout.bias(gradient, l));
      if (l === 0) {
        this.input.weightGradient(delta, units, dW, 0, units);
        break;
      }
      const previous = outputs[l - 1];
      gemm(true, false, fanIn, units, count, 1, previous, fanIn, delta, units, 0, dW, units);
      gemm(false, true, count, fanIn, units, 1, delta, units, W, units, 0, spare, fanIn);
      // Through the dropout mask of A_l-1, then through f; the kept activations were
      // divided by the keep probability, which f' must undo.
      const keep = dropout === null ? 1 : dropout.backward(l - 1, spare, count * fanIn);
      multiplyByDerivative(activation, previous, spare, 0, count * fanIn, keep);
      const used = delta;
      delta = spare;
      spare = used === this.logits ? this.deltaB : used;
    }
    return crossEntropy / count + addWeightDecay(layout, params, l2, gradient);
  }
}

/** out[u] = sum over the first `rows` rows of m[r, u]. */
function columnSums(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const offset = r * cols;
    for (let u = 0; u < cols; u++) out[u] += m[offset + u];
  }
}

/** gradient += l2 * W for every weight (not the biases); returns (l2 / 2) * sum W^2. */
function addWeightDecay(
  layout: MlpLayout,
  params: Float32Array,
  l2: number,
  gradient: Float32Array,
): number {
  if (l2 === 0) return 0;
  let squares = 0;
  for (let l = 0; l < layout.layers; l++) {
    const start = layout.weightOffsets[l];
    const end = start + layout.sizes[l] * layout.sizes[l + 1];
    for (let i = start; i < end; i++) {
      const w = params[i];
      squares += w * w;
      gradient[i] += l2 * w;
    }
  }
  return 0.5 * l2 * squares;
}
