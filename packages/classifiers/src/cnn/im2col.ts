import type { ConvGeometry } from './conv-geometry.js';
import type { Floats } from './precision.js';

/**
 * im2col (Chellapilla, Puri & Simard, "High performance convolutional neural networks for
 * document processing", 2006): copies every kernel-sized window of the first `rows` images of
 * `x` (NHWC) into one row of `patches`, [rows * outHeight * outWidth, kernel * kernel *
 * channels], in the order (kernel row, kernel column, channel), with zeros where the window
 * covers padding. A convolution is then one matrix product, patches x W, which runs at the
 * speed of the tuned GEMM instead of a six-deep loop over small, badly strided pieces.
 */
export function im2col(g: ConvGeometry, x: Floats, rows: number, patches: Floats): void {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth } = g;
  const imageSize = height * width * channels;
  const kernelRow = kernel * channels;
  let p = 0;
  for (let r = 0; r < rows; r++) {
    const image = r * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * stride - padTop;
      for (let ox = 0; ox < outWidth; ox++) {
        const left = ox * stride - padLeft;
        for (let ky = 0; ky < kernel; ky++) {
          const iy = top + ky;
          if (iy < 0 || iy >= height) {
            patches.fill(0, p, p + kernelRow);
            p += kernelRow;
            continue;
          }
          const line = image + iy * width * channels;
          for (let kx = 0; kx < kernel; kx++) {
            const ix = left + kx;
            if (ix < 0 || ix >= width) {
              for (let c = 0; c < channels; c++) patches[p++] = 0;
            } else {
              const source = line + ix * channels;
              for (let c = 0; c < channels; c++) patches[p++] = x[source + c];
            }
          }
        }
      }
    }
  }
}

/**
 * col2im, the adjoint of {@link im2col}: adds each element of `patches` back onto the pixel of
 * `dx` it was copied from (padding positions are dropped), after zeroing `dx`. This is how the
 * gradient with respect to a convolution's input, computed as patches, becomes an image
 * gradient: a pixel in several windows receives the sum of their contributions.
 */
export function col2im(g: ConvGeometry, patches: Floats, rows: number, dx: Floats): void {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth } = g;
  const imageSize = height * width * channels;
  const kernelRow = kernel * channels;
  dx.fill(0, 0, rows * imageSize);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    const image = r * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * stride - padTop;
      for (let ox = 0; ox < outWidth; ox++) {
        const left = ox * stride - padLeft;
        for (let ky = 0; ky < kernel; ky++) {
          const iy = top + ky;
          if (iy < 0 || iy >= height) {
            p += kernelRow;
            continue;
          }
          const line = image + iy * width * channels;
          for (let kx = 0; kx < kernel; kx++) {
            const ix = left + kx;
            if (ix < 0 || ix >= width) {
              p += channels;
            } else {
              const target = line + ix * channels;
              for (let c = 0; c < channels; c++) dx[target + c] += patches[p++];
            }
          }
        }
      }
    }
  }
}
