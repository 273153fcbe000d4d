/**
 * Where each layer's parameters live in the MLP's single flat parameter vector. Layer l maps
 * `sizes[l]` inputs to `sizes[l + 1]` outputs with a weight matrix W_l [sizes[l], sizes[l+1]]
 * (row-major, so a batch's pre-activations are A W_l + b_l) followed by its bias b_l.
 * One flat vector lets one optimiser update every layer and one gradient check cover them all.
 */
export class MlpLayout {
  /** Units per layer: inputs, hidden layers, classes. */
  readonly sizes: readonly number[];
  readonly weightOffsets: readonly number[];
  readonly biasOffsets: readonly number[];
  readonly parameterCount: number;

  constructor(sizes: readonly number[]) {
    this.sizes = Object.freeze([...sizes]);
    const weightOffsets: number[] = [];
    const biasOffsets: number[] = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      weightOffsets.push(offset);
      offset += sizes[l] * sizes[l + 1];
      biasOffsets.push(offset);
      offset += sizes[l + 1];
    }
    this.weightOffsets = Object.freeze(weightOffsets);
    this.biasOffsets = Object.freeze(biasOffsets);
    this.parameterCount = offset;
  }

  /** Number of weight layers (hidden layers + 1). */
  get layers(): number {
    return this.sizes.length - 1;
  }

  /** Layer l's weights W_l as a view of `params` (or of a gradient with the same layout). */
  weights(params: Float32Array, l: number): Float32Array {
    const start = this.weightOffsets[l];
    return params.subarray(start, start + this.sizes[l] * this.sizes[l + 1]);
  }

  /** Layer l's bias b_l as a view of `params`. */
  bias(params: Float32Array, l: number): Float32Array {
    const start = this.biasOffsets[l];
    return params.subarray(start, start + this.sizes[l + 1]);
  }
}
