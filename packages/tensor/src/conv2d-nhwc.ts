import { activeWasmKernels } from './backend.js';
import { ShapeError, ValueError } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';
import { StagingArea } from './wasm/staging-area.js';

/**
 * Where a convolution's square kernels lie on its input: `filters` kernels of kernel x kernel x
 * channels moved by `stride` over height x width x channels images, with `padTop` zero rows
 * above and `padLeft` zero columns to the left (and as many below and to the right as the
 * output size needs), giving outHeight x outWidth x filters outputs.
 */
export interface Conv2dShape {
  height: number;
  width: number;
  channels: number;
  kernel: number;
  stride: number;
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
  filters: number;
}

/**
 * A direct 2-D convolution (cross-correlation, as every framework computes it) of `images`
 * NHWC images:
 *
 * ```
 *   out[n, oy, ox, f] = bias[f] + sum over ky, kx, c of
 *                       x[n, oy s + ky - padTop, ox s + kx - padLeft, c] * w[ky, kx, c, f]
 * ```
 *
 * with zeros outside the image. `weights` is HWIO, [kernel * kernel * channels, filters]; `out`
 * receives [images * outHeight * outWidth, filters].
 *
 * On `'js'`, a plain loop summed in float64 (the reference). On `'wasm-simd'`, float32 sums in
 * a SIMD kernel (assembly/conv2d-kernel.ts) over 4 pixels x 8 filters at a time, with no
 * im2col: the images are copied into this thread's kernels memory once, inside their padding,
 * and the outputs copied back.
 */
export function conv2dNhwc(
  shape: Conv2dShape,
  images: number,
  x: Float32Array,
  weights: Float32Array,
  bias: Float32Array,
  out: Float32Array,
): void {
  checkShape(shape);
  checkImages(images);
  const { height, width, channels, kernel, outHeight, outWidth, filters } = shape;
  need('conv2dNhwc', 'x', x, images * height * width * channels);
  need('conv2dNhwc', 'weights', weights, kernel * kernel * channels * filters);
  need('conv2dNhwc', 'bias', bias, filters);
  need('conv2dNhwc', 'out', out, images * outHeight * outWidth * filters);
  if (images === 0) return;
  const kernels = activeWasmKernels();
  if (kernels === undefined) conv2dJs(shape, images, x, weights, bias, out);
  else conv2dWasm(kernels, shape, images, x, weights, bias, out);
}

function checkImages(images: number): void {
  if (!Number.isInteger(images) || images < 0) {
    throw new ValueError(`conv2d: images must be an integer >= 0, got ${images}`);
  }
}

function need(owner: string, name: string, array: Float32Array, length: number): void {
  if (!(array instanceof Float32Array) || array.length < length) {
    throw new ShapeError(
      `${owner}: ${name} must be a Float32Array of at least ${length} values, got ${array?.length}`,
    );
  }
}

function checkShape(shape: Conv2dShape): void {
  const { padTop, padLeft } = shape;
  for (const key of [
    'height',
    'width',
    'channels',
    'kernel',
    'stride',
    'outHeight',
    'outWidth',
    'filters',
  ] as const) {
    // prettier-ignore
    if (!Number.isInteger(shape[key]) || shape[key] < 1) {
      throw new ValueError(`conv2d: ${key} must be an integer >= 1, got ${shape[key]}`);
    }
  }
  if (!Number.isInteger(padTop) || padTop < 0 || !Number.isInteger(padLeft) || padLeft < 0) {
    throw new ValueError(`conv2d: padding must be integers >= 0, got ${padTop} and ${padLeft}`);
  }
}

function conv2dJs(
  shape: Conv2dShape,
  images: number,
  x: Float32Array,
  weights: Float32Array,
  bias: Float32Array,
  out: Float32Array,
): void {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth, filters } = shape; // prettier-ignore
  const sums = new Float64Array(filters);
  let o = 0;
  for (let n = 0; n < images; n++) {
    const image = n * height * width * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let f = 0; f < filters; f++) sums[f] = bias[f];
        for (let ky = 0; ky < kernel; ky++) {
          const iy = oy * stride + ky - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kernel; kx++) {
            const ix = ox * stride + kx - padLeft;
            if (ix < 0 || ix >= width) continue;
            const pixel = image + (iy * width + ix) * channels;
            const row = (ky * kernel + kx) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[pixel + c];
              const w = (row + c) * filters;
              for (let f = 0; f < filters; f++) sums[f] += value * weights[w + f];
            }
          }
        }
        for (let f = 0; f < filters; f++) out[o++] = sums[f];
      }
    }
  }
}

function conv2dWasm(
  kernels: WasmKernels,
  shape: Conv2dShape,
  images: number,
  x: Float32Array,
  weights: Float32Array,
  bias: Float32Array,
  out: Float32Array,
): void {
  const { kernel, channels, outHeight, outWidth, filters } = shape;
  const padded = paddedLayout(shape);
  const filterStride = filterStrideOf(filters);
  const patch = kernel * kernel * channels;
  const pixels = images * outHeight * outWidth;
  const [xAt, wAt, biasAt, outAt] = stage(kernels, [
    images * padded.image,
    patch * filterStride,
    filterStride,
    pixels * filterStride,
  ]);
  const memory = kernels.floats();
  copyPadded(memory, xAt, shape, padded, images, x);
  copyRows(weights, filters, memory, wAt, filterStride, patch);
  copyRows(bias, filters, memory, biasAt, filterStride, 1);
  kernels.exports.conv2dNhwc(
    4 * xAt,
    images,
    padded.height,
    padded.width,
    channels,
    kernel,
    shape.stride,
    outHeight,
    outWidth,
    4 * wAt,
    4 * biasAt,
    filterStride,
    4 * outAt,
  );
  copyRows(memory.subarray(outAt), filterStride, out, 0, filters, pixels);
}

/**
 * The gradient of {@link conv2dNhwc}'s loss with respect to its weights, from the gradient
 * `dy` with respect to its outputs ([images * outHeight * outWidth, filters]):
 *
 * ```
 *   dW[ky, kx, c, f] = sum over n, oy, ox of x[n, oy s + ky - padTop, ox s + kx - padLeft, c]
 *                                             * dy[n, oy, ox, f]
 * ```
 *
 * written into `dw` ([kernel * kernel * channels, filters], HWIO). This is im2col(x)^T dy
 * without the patches. On `'js'`, a plain loop summed in float64; on `'wasm-simd'`, float32
 * sums in a SIMD kernel over 4 pixels x 8 filters (assembly/conv2d-kernel.ts).
 */
export function conv2dFilterGradient(
  shape: Conv2dShape,
  images: number,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): void {
  checkShape(shape);
  checkImages(images);
  const { height, width, channels, kernel, outHeight, outWidth, filters } = shape;
  need('conv2dFilterGradient', 'x', x, images * height * width * channels);
  need('conv2dFilterGradient', 'dy', dy, images * outHeight * outWidth * filters);
  need('conv2dFilterGradient', 'dw', dw, kernel * kernel * channels * filters);
  const kernels = activeWasmKernels();
  if (kernels === undefined) filterGradientJs(shape, images, x, dy, dw);
  else filterGradientWasm(kernels, shape, images, x, dy, dw);
}

function filterGradientJs(
  shape: Conv2dShape,
  images: number,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): void {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth, filters } = shape; // prettier-ignore
  const sums = new Float64Array(kernel * kernel * channels * filters);
  let d = 0;
  for (let n = 0; n < images; n++) {
    const image = n * height * width * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, d += filters) {
        for (let ky = 0; ky < kernel; ky++) {
          const iy = oy * stride + ky - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kernel; kx++) {
            const ix = ox * stride + kx - padLeft;
            if (ix < 0 || ix >= width) continue;
            const pixel = image + (iy * width + ix) * channels;
            const row = (ky * kernel + kx) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[pixel + c];
              const w = (row + c) * filters;
              for (let f = 0; f < filters; f++) sums[w + f] += value * dy[d + f];
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < sums.length; i++) dw[i] = sums[i];
}

function filterGradientWasm(
  kernels: WasmKernels,
  shape: Conv2dShape,
  images: number,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): void {
  const { kernel, channels, outHeight, outWidth, filters } = shape;
  const padded = paddedLayout(shape);
  const filterStride = filterStrideOf(filters);
  const patch = kernel * kernel * channels;
  const pixels = images * outHeight * outWidth;
  const [xAt, dyAt, dwAt] = stage(kernels, [
    images * padded.image,
    pixels * filterStride,
    patch * filterStride,
  ]);
  const memory = kernels.floats();
  copyPadded(memory, xAt, shape, padded, images, x);
  copyRows(dy, filters, memory, dyAt, filterStride, pixels);
  memory.fill(0, dwAt, dwAt + patch * filterStride);
  kernels.exports.conv2dFilterGradient(
    4 * xAt,
    images,
    padded.height,
    padded.width,
    channels,
    kernel,
    shape.stride,
    outHeight,
    outWidth,
    4 * dyAt,
    filterStride,
    4 * dwAt,
  );
  copyRows(memory.subarray(dwAt), filterStride, dw, 0, filters, patch);
}

/**
 * The gradient of {@link conv2dNhwc}'s loss with respect to its input images, from the
 * gradient `dy` with respect to its outputs: each input pixel gets, from every window that
 * covers it, the weights that joined them times that window's output gradients,
 *
 * ```
 *   dx[n, oy s + ky - padTop, ox s + kx - padLeft, c] += sum over f of dy[n, oy, ox, f] * w[ky, kx, c, f]
 * ```
 *
 * written into `dx` ([images, height, width, channels]; what falls on the padding is dropped).
 * This is col2im(dy W^T) without the patches. On `'js'`, a plain loop summed in float64; on
 * `'wasm-simd'`, float32 sums in a SIMD kernel, 16 inputs of a kernel row at a time
 * (assembly/conv2d-kernel.ts).
 */
export function conv2dInputGradient(
  shape: Conv2dShape,
  images: number,
  dy: Float32Array,
  weights: Float32Array,
  dx: Float32Array,
): void {
  checkShape(shape);
  checkImages(images);
  const { height, width, channels, kernel, outHeight, outWidth, filters } = shape;
  need('conv2dInputGradient', 'dy', dy, images * outHeight * outWidth * filters);
  need('conv2dInputGradient', 'weights', weights, kernel * kernel * channels * filters);
  need('conv2dInputGradient', 'dx', dx, images * height * width * channels);
  const kernels = activeWasmKernels();
  if (kernels === undefined) inputGradientJs(shape, images, dy, weights, dx);
  else inputGradientWasm(kernels, shape, images, dy, weights, dx);
}

function inputGradientJs(
  shape: Conv2dShape,
  images: number,
  dy: Float32Array,
  weights: Float32Array,
  dx: Float32Array,
): void {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth, filters } = shape; // prettier-ignore
  const imageSize = height * width * channels;
  const sums = new Float64Array(images * imageSize);
  let d = 0;
  for (let n = 0; n < images; n++) {
    const image = n * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, d += filters) {
        for (let ky = 0; ky < kernel; ky++) {
          const iy = oy * stride + ky - padTop;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kernel; kx++) {
            const ix = ox * stride + kx - padLeft;
            if (ix < 0 || ix >= width) continue;
            const pixel = image + (iy * width + ix) * channels;
            const row = (ky * kernel + kx) * channels;
            for (let c = 0; c < channels; c++) {
              const w = (row + c) * filters;
              let total = 0;
              for (let f = 0; f < filters; f++) total += dy[d + f] * weights[w + f];
              sums[pixel + c] += total;
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < sums.length; i++) dx[i] = sums[i];
}

function inputGradientWasm(
  kernels: WasmKernels,
  shape: Conv2dShape,
  images: number,
  dy: Float32Array,
  weights: Float32Array,
  dx: Float32Array,
): void {
  const { height, width, channels, kernel, padTop, padLeft, outHeight, outWidth, filters } = shape; // prettier-ignore
  const padded = paddedLayout(shape);
  const patch = kernel * kernel * channels;
  const [dyAt, wtAt, dxAt] = stage(kernels, [
    images * outHeight * outWidth * filters,
    filters * patch,
    images * padded.image,
  ]);
  const memory = kernels.floats();
  memory.set(dy.subarray(0, images * outHeight * outWidth * filters), dyAt);
  // The weights transposed, [filters, patch]: each filter's kernel rows are contiguous.
  for (let p = 0; p < patch; p++) {
    for (let f = 0; f < filters; f++) memory[wtAt + f * patch + p] = weights[p * filters + f];
  }
  memory.fill(0, dxAt, dxAt + images * padded.image);
  kernels.exports.conv2dInputGradient(
    4 * dyAt,
    images,
    padded.height,
    padded.width,
    channels,
    kernel,
    shape.stride,
    outHeight,
    outWidth,
    4 * wtAt,
    filters,
    4 * dxAt,
  );
  // The images without their padding.
  const imageSize = height * width * channels;
  if (padded.image === imageSize) {
    dx.set(memory.subarray(dxAt, dxAt + images * imageSize));
    return;
  }
  const line = width * channels;
  for (let n = 0; n < images; n++) {
    for (let iy = 0; iy < height; iy++) {
      const from = dxAt + n * padded.image + ((padTop + iy) * padded.width + padLeft) * channels;
      dx.set(memory.subarray(from, from + line), n * imageSize + iy * line);
    }
  }
}

/** Filters rounded up to the kernels' blocks of 8 (the extra ones zero). */
function filterStrideOf(filters: number): number {
  return Math.ceil(filters / 8) * 8;
}

/**
 * The size of an image inside its zero padding, so that every window lies inside: padTop rows
 * above, padLeft columns to the left, and below and to the right as many as the last window
 * reaches past the image.
 */
function paddedLayout(shape: Conv2dShape): { height: number; width: number; image: number } {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth } = shape;
  const paddedHeight = Math.max(padTop + height, (outHeight - 1) * stride + kernel);
  const paddedWidth = Math.max(padLeft + width, (outWidth - 1) * stride + kernel);
  return { height: paddedHeight, width: paddedWidth, image: paddedHeight * paddedWidth * channels };
}

/** Copies `images` images of x into float `at` of the memory, each inside its zero padding. */
function copyPadded(
  memory: Float32Array,
  at: number,
  shape: Conv2dShape,
  padded: { height: number; width: number; image: number },
  images: number,
  x: Float32Array,
): void {
  const { height, width, channels, padTop, padLeft } = shape;
  const imageSize = height * width * channels;
  if (padded.image === imageSize) {
    memory.set(x.subarray(0, images * imageSize), at);
    return;
  }
  memory.fill(0, at, at + images * padded.image);
  const line = width * channels;
  for (let n = 0; n < images; n++) {
    for (let iy = 0; iy < height; iy++) {
      const from = n * imageSize + iy * line;
      const to = at + n * padded.image + ((padTop + iy) * padded.width + padLeft) * channels;
      memory.set(x.subarray(from, from + line), to);
    }
  }
}

/**
 * Copies `rows` rows of `fromWidth` values (`from`, from index 0) into rows of `toWidth` values
 * of `to` from index `at`: the first min(fromWidth, toWidth) values of each row, zeros after
 * them when `to` is wider. One copy when the widths agree.
 */
function copyRows(
  from: Float32Array,
  fromWidth: number,
  to: Float32Array,
  at: number,
  toWidth: number,
  rows: number,
): void {
  if (fromWidth === toWidth) {
    to.set(from.subarray(0, rows * fromWidth), at);
    return;
  }
  const width = Math.min(fromWidth, toWidth);
  for (let r = 0; r < rows; r++) {
    to.set(from.subarray(r * fromWidth, r * fromWidth + width), at + r * toWidth);
    if (toWidth > width) to.fill(0, at + r * toWidth + width, at + (r + 1) * toWidth);
  }
}

/** Where this thread's convolution kernels stage their operands. */
const staging = new StagingArea('conv2d');

/**
 * Float offsets in this thread's kernels memory of consecutive buffers of `floats` float32s
 * each (every one starting on a 64-byte line), in the convolutions' staging area.
 */
function stage(kernels: WasmKernels, floats: readonly number[]): number[] {
  const aligned = floats.map((count) => Math.ceil(count / 16) * 16);
  let at = staging.reserve(kernels, 4 * aligned.reduce((a, b) => a + b, 0)) / 4;
  const offsets: number[] = [];
  for (const count of aligned) {
    offsets.push(at);
    at += count;
  }
  return offsets;
}
