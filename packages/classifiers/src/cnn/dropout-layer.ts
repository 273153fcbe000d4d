import type { Rng } from '@typedlearn/tensor';
import { sampleMasks } from '../mlp/dropout.js';
import type { Layer } from './layer.js';
import type { Floats } from './precision.js';

/**
 * Inverted dropout as in the MLP (mlp/dropout.ts; Srivastava et al., JMLR 2014) on rows of
 * `size` values: while training, out = in * M / keep with a fresh mask M of independent
 * Bernoulli(keep) draws per chunk, so d out / d in = M / keep; when predicting, out = in.
 */
export class DropoutLayer implements Layer {
  private readonly keep: number;
  private readonly mask: Uint8Array;
  /** The mask and its row length as `sampleMasks` takes them (one "layer"). */
  private readonly masks: readonly Uint8Array[];
  private readonly sizes: readonly number[];

  constructor(
    private readonly size: number,
    rate: number,
    maxRows: number,
  ) {
    this.keep = 1 - rate;
    this.mask = new Uint8Array(maxRows * size);
    this.masks = [this.mask];
    this.sizes = [size];
  }

  forward(
    _params: Floats,
    input: Floats,
    output: Floats,
    rows: number,
    training: Rng | null,
  ): void {
    const { keep, mask } = this;
    const n = rows * this.size;
    if (training === null || keep === 1) {
      output.set(input.subarray(0, n));
      return;
    }
    sampleMasks(this.masks, this.sizes, rows, keep, training);
    const scale = 1 / keep;
    for (let i = 0; i < n; i++) output[i] = mask[i] === 1 ? input[i] * scale : 0;
  }

  backward(
    _params: Floats,
    _gradient: Floats,
    _input: Floats,
    _output: Floats,
    outputDelta: Floats,
    inputDelta: Floats | null,
    rows: number,
  ): void {
    if (inputDelta === null) return;
    const { keep, mask } = this;
    const n = rows * this.size;
    if (keep === 1) {
      inputDelta.set(outputDelta.subarray(0, n));
      return;
    }
    const scale = 1 / keep;
    for (let i = 0; i < n; i++) inputDelta[i] = mask[i] === 1 ? outputDelta[i] * scale : 0;
  }
}
