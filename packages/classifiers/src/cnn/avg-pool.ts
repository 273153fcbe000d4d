import type { Layer } from './layer.js';
import type { PoolGeometry } from './pool-geometry.js';
import type { Floats } from './precision.js';

/**
 * Average pooling: each output is the mean of its window's inputs, per channel, over the
 * pixels inside the image (windows as in {@link poolGeometry}; a window cut at the edge
 * averages fewer). Its gradient spreads each output's delta evenly back over the window:
 * d out / d in = 1 / (pixels in the window) for each input of it.
 */
export class AvgPool implements Layer {
  constructor(private readonly geometry: PoolGeometry) {}

  forward(_params: Floats, input: Floats, output: Floats, rows: number): void {
    const { height, width, channels, size, stride, outHeight, outWidth } = this.geometry;
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
          const scale = 1 / ((bottom - top) * (right - left));
          for (let c = 0; c < channels; c++) {
            let total = 0;
            for (let iy = top; iy < bottom; iy++) {
              for (let ix = left; ix < right; ix++)
                total += input[image + (iy * width + ix) * channels + c];
            }
            output[o++] = total * scale;
          }
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
    const { height, width, channels, size, stride, outHeight, outWidth } = this.geometry;
    const imageSize = height * width * channels;
    inputDelta.fill(0, 0, rows * imageSize);
    let o = 0;
    for (let r = 0; r < rows; r++) {
      const image = r * imageSize;
      for (let oy = 0; oy < outHeight; oy++) {
        const top = oy * stride;
        const bottom = Math.min(top + size, height);
        for (let ox = 0; ox < outWidth; ox++) {
          const left = ox * stride;
          const right = Math.min(left + size, width);
          const scale = 1 / ((bottom - top) * (right - left));
          for (let c = 0; c < channels; c++) {
            const share = outputDelta[o++] * scale;
            for (let iy = top; iy < bottom; iy++) {
              for (let ix = left; ix < right; ix++)
                inputDelta[image + (iy * width + ix) * channels + c] += share;
            }
          }
        }
      }
    }
  }
}
