import { activeWasmKernels } from './backend.js';
import { ShapeError, ValueError } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';
import { StagingArea } from './wasm/staging-area.js';

/**
 * Where a pooling layer's windows lie: size x size windows starting every `stride` pixels of
 * height x width x channels images, outHeight x outWidth of them; a window that runs past the
 * bottom or right edge is cut there.
 */
export interface PoolShape {
  height: number;
  width: number;
  channels: number;
  size: number;
  stride: number;
  outHeight: number;
  outWidth: number;
}

/**
 * Max pooling of `images` NHWC images: `out[n, oy, ox, c]` = the largest input of the window
 * of (oy, ox) in channel c, and `winners[n, oy, ox, c]` = that input's index within its image
 * (the first of equal ones, in row-major window order), which the backward pass routes the
 * gradient to.
 *
 * On `'js'`, or for float64 arrays, a plain loop (the reference). On `'wasm-simd'`, for float32
 * arrays, a branch-free SIMD kernel over 4 channels at a time (assembly/max-pool-kernel.ts),
 * with the images copied into this thread's kernels memory and the results copied back: which
 * input wins is close to random on real activations, so the JS loop's branch is mispredicted
 * about half the time. Both give the same outputs and winners.
 */
export function maxPoolNhwc(
  shape: PoolShape,
  images: number,
  x: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  winners: Int32Array,
): void {
  for (const key of [
    'height',
    'width',
    'channels',
    'size',
    'stride',
    'outHeight',
    'outWidth',
  ] as const) {
    // prettier-ignore
    if (!Number.isInteger(shape[key]) || shape[key] < 1) {
      throw new ValueError(`maxPoolNhwc: ${key} must be an integer >= 1, got ${shape[key]}`);
    }
  }
  if (!Number.isInteger(images) || images < 0) {
    throw new ValueError(`maxPoolNhwc: images must be an integer >= 0, got ${images}`);
  }
  const { height, width, channels, stride, outHeight, outWidth } = shape;
  if ((outHeight - 1) * stride >= height || (outWidth - 1) * stride >= width) {
    throw new ValueError(
      `maxPoolNhwc: ${outHeight} x ${outWidth} windows every ${stride} pixels do not all start inside a ${height} x ${width} image`,
    );
  }
  const inputs = images * height * width * channels;
  const outputs = images * outHeight * outWidth * channels;
  if (x.length < inputs || out.length < outputs || winners.length < outputs) {
    throw new ShapeError(
      `maxPoolNhwc: ${images} images need x of ${inputs} values and out and winners of ${outputs}, got ${x.length}, ${out.length} and ${winners.length}`,
    );
  }
  const kernels = x instanceof Float32Array ? activeWasmKernels() : undefined;
  if (kernels !== undefined && x instanceof Float32Array && out instanceof Float32Array) {
    maxPoolWasm(kernels, shape, images, x, out, winners);
  } else {
    maxPoolJs(shape, images, x, out, winners);
  }
}

function maxPoolJs(
  shape: PoolShape,
  images: number,
  x: Float32Array | Float64Array,
  out: Float32Array | Float64Array,
  winners: Int32Array,
): void {
  const { height, width, channels, size, stride, outHeight, outWidth } = shape;
  const imageSize = height * width * channels;
  let o = 0;
  for (let n = 0; n < images; n++) {
    const image = n * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * stride;
      const bottom = Math.min(top + size, height);
      for (let ox = 0; ox < outWidth; ox++) {
        const left = ox * stride;
        const right = Math.min(left + size, width);
        // The window's first pixel wins until a larger value comes, channel by channel.
        const first = (top * width + left) * channels;
        for (let c = 0; c < channels; c++) {
          winners[o + c] = first + c;
          out[o + c] = x[image + first + c];
        }
        for (let iy = top; iy < bottom; iy++) {
          for (let ix = iy === top ? left + 1 : left; ix < right; ix++) {
            const pixel = (iy * width + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[image + pixel + c];
              if (value > out[o + c]) {
                out[o + c] = value;
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

/** Where this thread's max pooling stages its operands. */
const staging = new StagingArea('maxPoolNhwc');

function maxPoolWasm(
  kernels: WasmKernels,
  shape: PoolShape,
  images: number,
  x: Float32Array,
  out: Float32Array,
  winners: Int32Array,
): void {
  const { height, width, channels, size, stride, outHeight, outWidth } = shape;
  const inputs = images * height * width * channels;
  const outputs = images * outHeight * outWidth * channels;
  const [inputBytes, outputBytes] = [inputs, outputs].map((n) => Math.ceil((4 * n) / 64) * 64);
  const xAt = staging.reserve(kernels, inputBytes + 2 * outputBytes);
  const outAt = xAt + inputBytes;
  const winnersAt = outAt + outputBytes;
  kernels.floats().set(x.subarray(0, inputs), xAt / 4);
  kernels.exports.maxPoolNhwc(xAt, images, height, width, channels, size, stride, outHeight, outWidth, outAt, winnersAt); // prettier-ignore
  out.set(kernels.floats().subarray(outAt / 4, outAt / 4 + outputs));
  winners.set(kernels.int32s().subarray(winnersAt / 4, winnersAt / 4 + outputs));
}
