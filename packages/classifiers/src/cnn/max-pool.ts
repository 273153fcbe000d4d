import type { Layer } from './layer.js';
import type { PoolGeometry } from './pool-geometry.js';
import type { Floats } from './precision.js';

/**
 * Max pooling: each output is the largest input of its window, per channel (windows as in
 * {@link poolGeometry}). The maximum is piecewise the identity of one input, so its gradient
 * routes each output's delta to the input that won (the first of equal ones), which the forward
 * pass records; inputs that won no window get 0, and one that won several windows gets the sum.
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
    const { height, width, channels, size, stride, outHeight, outWidth } = this.geometry;
    const { winners } = this;
    const imageSize = height * width * channels;
    let o = 0;
    for (let r = 0; r < rows; r++) {
      const image = r * imageSize;
      for (let oy = 0; oy < outHeight; oy++) {
        const top = oy * stride;
        const bottom = Math.min(top + size, height);
        for (let ox = 0; ox < outWidth; ox++) {
          const left = ox * stride;
          const right = Math.min(left + size, width);
          // The window's first pixel wins until a larger value comes, channel by channel;
          // the channels of one pixel are contiguous, so the inner loop runs along memory.
          const first = (top * width + left) * channels;
          for (let c = 0; c < channels; c++) {
            winners[o + c] = first + c;
            output[o + c] = input[image + first + c];
          }
          for (let iy = top; iy < bottom; iy++) {
            for (let ix = iy === top ? left + 1 : left; ix < right; ix++) {
              const pixel = (iy * width + ix) * channels;
              for (let c = 0; c < channels; c++) {
                const value = input[image + pixel + c];
                if (value > output[o + c]) {
                  output[o + c] = value;
                  winners[o + c] = pixel + c;
                }
              }
            }
          }
          o += channels;
        }
      }
    }
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
