import { activeWasmKernels } from './backend.js';
import { ShapeError, TypedlearnError, ValueError } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';

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
  const { height, width, channels, kernel, outHeight, outWidth, filters } = shape;
  if (!Number.isInteger(images) || images < 0) {
    throw new ValueError(`conv2dNhwc: images must be an integer >= 0, got ${images}`);
  }
  const need = (name: string, array: Float32Array, length: number) => {
    if (!(array instanceof Float32Array) || array.length < length) {
      throw new ShapeError(
        `conv2dNhwc: ${name} must be a Float32Array of at least ${length} values, got ${array?.length}`,
      );
    }
  };
  need('x', x, images * height * width * channels);
  need('weights', weights, kernel * kernel * channels * filters);
  need('bias', bias, filters);
  need('out', out, images * outHeight * outWidth * filters);
  if (images === 0) return;
  const kernels = activeWasmKernels();
  if (kernels === undefined) conv2dJs(shape, images, x, weights, bias, out);
  else conv2dWasm(kernels, shape, images, x, weights, bias, out);
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
      throw new ValueError(`conv2dNhwc: ${key} must be an integer >= 1, got ${shape[key]}`);
    }
  }
  if (!Number.isInteger(padTop) || padTop < 0 || !Number.isInteger(padLeft) || padLeft < 0) {
    throw new ValueError(`conv2dNhwc: padding must be integers >= 0, got ${padTop} and ${padLeft}`);
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

/** This thread's staging area in its kernels memory, grown as needed. */
let staging: { kernels: WasmKernels; offset: number; bytes: number } | undefined;

function stagingArea(kernels: WasmKernels, bytes: number): number {
  if (staging?.kernels !== kernels || staging.bytes < bytes) {
    if (staging?.kernels === kernels) kernels.release(staging.offset, staging.bytes);
    staging = undefined;
    const offset = kernels.allocate(bytes);
    if (offset < 0) {
      throw new TypedlearnError(
        `conv2dNhwc: ${bytes} more bytes do not fit in the WebAssembly memory (at most 1 GiB); ` +
          `convolve fewer images at a time or use setBackend('js')`,
      );
    }
    staging = { kernels, offset, bytes };
  }
  return staging.offset;
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
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth, filters } = shape; // prettier-ignore
  // The images inside their zero padding: every window then lies inside.
  const paddedHeight = Math.max(padTop + height, (outHeight - 1) * stride + kernel);
  const paddedWidth = Math.max(padLeft + width, (outWidth - 1) * stride + kernel);
  const paddedImage = paddedHeight * paddedWidth * channels;
  // Filters rounded up to the kernel's 8 per block, the extra ones zero.
  const filterStride = Math.ceil(filters / 8) * 8;
  const patch = kernel * kernel * channels;
  const pixels = outHeight * outWidth;
  const sizes = [images * paddedImage, patch * filterStride, filterStride, images * pixels * filterStride]; // prettier-ignore
  const aligned = sizes.map((floats) => Math.ceil(floats / 16) * 16);
  const base = stagingArea(kernels, 4 * aligned.reduce((a, b) => a + b, 0)) / 4;
  const xAt = base;
  const wAt = xAt + aligned[0];
  const biasAt = wAt + aligned[1];
  const outAt = biasAt + aligned[2];
  const memory = kernels.floats();

  const imageSize = height * width * channels;
  if (paddedImage === imageSize) {
    memory.set(x.subarray(0, images * imageSize), xAt);
  } else {
    memory.fill(0, xAt, xAt + images * paddedImage);
    const line = width * channels;
    for (let n = 0; n < images; n++) {
      for (let iy = 0; iy < height; iy++) {
        const from = n * imageSize + iy * line;
        const to = xAt + n * paddedImage + ((padTop + iy) * paddedWidth + padLeft) * channels;
        memory.set(x.subarray(from, from + line), to);
      }
    }
  }
  if (filterStride === filters) {
    memory.set(weights.subarray(0, patch * filters), wAt);
    memory.set(bias.subarray(0, filters), biasAt);
  } else {
    memory.fill(0, wAt, biasAt + filterStride);
    for (let p = 0; p < patch; p++) {
      memory.set(weights.subarray(p * filters, (p + 1) * filters), wAt + p * filterStride);
    }
    memory.set(bias.subarray(0, filters), biasAt);
  }

  kernels.exports.conv2dNhwc(
    4 * xAt,
    images,
    paddedHeight,
    paddedWidth,
    channels,
    kernel,
    stride,
    outHeight,
    outWidth,
    4 * wAt,
    4 * biasAt,
    filterStride,
    4 * outAt,
  );

  if (filterStride === filters) {
    out.set(memory.subarray(outAt, outAt + images * pixels * filters));
  } else {
    for (let q = 0; q < images * pixels; q++) {
      const from = outAt + q * filterStride;
      out.set(memory.subarray(from, from + filters), q * filters);
    }
  }
}
