import { maxPoolNhwc } from '@typedlearn/tensor';
import type { Layer } from './layer.js';
import type { PoolGeometry } from './pool-geometry.js';
import type { Floats } from './precision.js';

/**
 * Max pooling: each output is the largest input of its window, per channel (windows as in
 * {@link poolGeometry}). The maximum is piecewise the identity of one input, so its gradient
 * routes each output's delta to the input that won (the first of equal ones), which the forward
 * pass (the tensor package's `maxPoolNhwc`) records; inputs that won no window get 0, and one that won several windows gets the sum.
 */
export class MaxPool implements Layer {
  /** For each output, the index within its image of the input that won. */
  private readonly winners: Int32Array;

  constructor(
    private readonly geometry: PoolGeometry,
    maxRows: number,
  ) {
    const { outHeight, outWidth, channels } = geometry;
    this.winners = new Int32Array(maxRows * outHeight * outWidth * channels);
  }

  forward(_params: Floats, input: Floats, output: Floats, rows: number): void {
    maxPoolNhwc(this.geometry, rows, input, output, this.winners);
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
    const { height, width, channels, outHeight, outWidth } = this.geometry;
    const imageSize = height * width * channels;
    const outputSize = outHeight * outWidth * channels;
    inputDelta.fill(0, 0, rows * imageSize);
    for (let r = 0; r < rows; r++) {
      const image = r * imageSize;
      for (let o = r * outputSize; o < (r + 1) * outputSize; o++) {
        inputDelta[image + this.winners[o]] += outputDelta[o];
      }
    }
  }
}
