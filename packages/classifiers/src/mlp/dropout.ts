import type { Rng } from '@typedlearn/tensor';

/**
 * Inverted dropout (Srivastava et al., "Dropout: a simple way to prevent neural networks from
 * overfitting", JMLR 2014): during training each hidden activation is kept with probability
 * keep = 1 - rate and divided by keep, or set to 0; at prediction time nothing changes,
 * since the expected activation is already right. The masks of one mini-batch are drawn by
 * `sample` and reused by the backward pass.
 */
export class DropoutMasks {
  readonly keep: number;
  private readonly masks: Uint8Array[];

  constructor(rate: number, hiddenSizes: readonly number[], batchSize: number) {
    this.keep = 1 - rate;
    this.masks = hiddenSizes.map((units) => new Uint8Array(batchSize * units));
  }

  /** Draws fresh masks for the first `count` rows of every hidden layer. */
  sample(rng: Rng, count: number, hiddenSizes: readonly number[]): void {
    const { keep } = this;
    for (let l = 0; l < this.masks.length; l++) {
      const mask = this.masks[l];
      const n = count * hiddenSizes[l];
      for (let i = 0; i < n; i++) mask[i] = rng.uniform() < keep ? 1 : 0;
    }
  }

  /** a = a * mask / keep over the first n values of hidden layer `layer`'s activations. */
  apply(layer: number, a: Float32Array, n: number): void {
    const mask = this.masks[layer];
    const scale = 1 / this.keep;
    for (let i = 0; i < n; i++) a[i] = mask[i] === 1 ? a[i] * scale : 0;
  }

  /** The same for a gradient flowing back; returns keep (see multiplyByDerivative). */
  backward(layer: number, delta: Float32Array, n: number): number {
    this.apply(layer, delta, n);
    return this.keep;
  }
}
