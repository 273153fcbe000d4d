/**
 * A direct 2-D convolution of the `wasm-simd` backend (src/conv2d-nhwc.ts): NHWC images in,
 * NHWC outputs out, no im2col. For one output pixel and filter f,
 *
 * ```
 *   out[f] = bias[f] + sum over p = (ky, kx, c) of x[oy s + ky, ox s + kx, c] * w[p, f]
 * ```
 *
 * and the p of one kernel row (kx, c) are consecutive floats of the image, so each kernel row is
 * one contiguous run of `kernel * channels` inputs. The register tile is 4 output pixels x 8
 * filters (8 f32x4 accumulators): per p, 4 splatted inputs and 2 weight vectors feed 8 multiplies
 * and 8 adds, the same arithmetic per load as the GEMM micro-kernel, without the GEMM's copy of
 * every input into k * k patches. Filters are the outer loop, so one block of 8 filters' weights
 * (kernel^2 * channels * 32 bytes) stays in L1 while the pixels of an image stream past.
 *
 * The caller pads: `x` holds `images` images of height x width x channels already surrounded by
 * their zero padding, so every window lies inside; `w` is [kernel^2 * channels, filterStride]
 * and `bias` [filterStride], with filterStride a multiple of 8 (zero filters past the real
 * ones); `out` receives [images * outHeight * outWidth, filterStride]. Sums are float32, bias
 * first, then p = 0, 1, ... in order (no fused multiply-add).
 */
export function conv2dNhwc(
  x: usize,
  images: i32,
  height: i32,
  width: i32,
  channels: i32,
  kernel: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  w: usize,
  bias: usize,
  filterStride: i32,
  out: usize,
): void {
  const run = kernel * channels;
  const lineBytes = (<usize>(width * channels)) << 2;
  const imageBytes = <usize>height * lineBytes;
  const strideBytes = (<usize>(stride * channels)) << 2;
  const pixels = outHeight * outWidth;
  const weightStep = (<usize>filterStride) << 2;
  for (let image = 0; image < images; image++) {
    const first = x + <usize>image * imageBytes;
    const outImage = out + ((<usize>image * <usize>pixels * <usize>filterStride) << 2);
    for (let f = 0; f < filterStride; f += 8) {
      const weights = w + ((<usize>f) << 2);
      const b0 = v128.load(bias + ((<usize>f) << 2));
      const b1 = v128.load(bias + ((<usize>f) << 2), 16);
      for (let oy = 0; oy < outHeight; oy++) {
        const line = first + <usize>(oy * stride) * lineBytes;
        const outLine = outImage + ((<usize>(oy * outWidth) * <usize>filterStride + <usize>f) << 2);
        let ox = 0;
        for (; ox + 4 <= outWidth; ox += 4) {
          const s0 = line + <usize>ox * strideBytes;
          const s1 = s0 + strideBytes;
          const s2 = s1 + strideBytes;
          const s3 = s2 + strideBytes;
          let c00 = b0;
          let c01 = b1;
          let c10 = b0;
          let c11 = b1;
          let c20 = b0;
          let c21 = b1;
          let c30 = b0;
          let c31 = b1;
          let wp = weights;
          for (let ky = 0; ky < kernel; ky++) {
            const row = <usize>ky * lineBytes;
            for (let t = 0; t < run; t++) {
              const at = row + ((<usize>t) << 2);
              const w0 = v128.load(wp);
              const w1 = v128.load(wp, 16);
              const x0 = v128.load32_splat(s0 + at);
              const x1 = v128.load32_splat(s1 + at);
              const x2 = v128.load32_splat(s2 + at);
              const x3 = v128.load32_splat(s3 + at);
              c00 = f32x4.add(c00, f32x4.mul(x0, w0));
              c01 = f32x4.add(c01, f32x4.mul(x0, w1));
              c10 = f32x4.add(c10, f32x4.mul(x1, w0));
              c11 = f32x4.add(c11, f32x4.mul(x1, w1));
              c20 = f32x4.add(c20, f32x4.mul(x2, w0));
              c21 = f32x4.add(c21, f32x4.mul(x2, w1));
              c30 = f32x4.add(c30, f32x4.mul(x3, w0));
              c31 = f32x4.add(c31, f32x4.mul(x3, w1));
              wp += weightStep;
            }
          }
          const o = outLine + <usize>ox * weightStep;
          v128.store(o, c00);
          v128.store(o, c01, 16);
          v128.store(o + weightStep, c10);
          v128.store(o + weightStep, c11, 16);
          v128.store(o + 2 * weightStep, c20);
          v128.store(o + 2 * weightStep, c21, 16);
          v128.store(o + 3 * weightStep, c30);
          v128.store(o + 3 * weightStep, c31, 16);
        }
        for (; ox < outWidth; ox++) {
          const s = line + <usize>ox * strideBytes;
          let c0 = b0;
          let c1 = b1;
          let wp = weights;
          for (let ky = 0; ky < kernel; ky++) {
            const row = <usize>ky * lineBytes;
            for (let t = 0; t < run; t++) {
              const xv = v128.load32_splat(s + row + ((<usize>t) << 2));
              c0 = f32x4.add(c0, f32x4.mul(xv, v128.load(wp)));
              c1 = f32x4.add(c1, f32x4.mul(xv, v128.load(wp, 16)));
              wp += weightStep;
            }
          }
          const o = outLine + <usize>ox * weightStep;
          v128.store(o, c0);
          v128.store(o, c1, 16);
        }
      }
    }
  }
}

/**
 * The filter gradient of {@link conv2dNhwc}: for every p = (ky, kx, c) and filter f,
 *
 * ```
 *   dW[p, f] += sum over images and output pixels (oy, ox) of
 *               x[oy s + ky, ox s + kx, c] * dY[oy, ox, f]
 * ```
 *
 * on the same padded images and strides. The tile is 4 output pixels x 8 filters: their 8 dY
 * vectors stay in registers while the window's inputs stream past, and each dW[p, 8 filters]
 * is loaded, given its 4 products and stored once per tile. Sums are float32, in the order of
 * the pixels (image by image, row by row).
 */
export function conv2dFilterGradient(
  x: usize,
  images: i32,
  height: i32,
  width: i32,
  channels: i32,
  kernel: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  dy: usize,
  filterStride: i32,
  dw: usize,
): void {
  const run = kernel * channels;
  const lineBytes = (<usize>(width * channels)) << 2;
  const imageBytes = <usize>height * lineBytes;
  const strideBytes = (<usize>(stride * channels)) << 2;
  const pixels = outHeight * outWidth;
  const rowBytes = (<usize>filterStride) << 2;
  for (let image = 0; image < images; image++) {
    const first = x + <usize>image * imageBytes;
    const dyImage = dy + ((<usize>image * <usize>pixels * <usize>filterStride) << 2);
    for (let f = 0; f < filterStride; f += 8) {
      const grads = dw + ((<usize>f) << 2);
      for (let oy = 0; oy < outHeight; oy++) {
        const line = first + <usize>(oy * stride) * lineBytes;
        const dyLine = dyImage + ((<usize>(oy * outWidth) * <usize>filterStride + <usize>f) << 2);
        let ox = 0;
        for (; ox + 4 <= outWidth; ox += 4) {
          const s0 = line + <usize>ox * strideBytes;
          const s1 = s0 + strideBytes;
          const s2 = s1 + strideBytes;
          const s3 = s2 + strideBytes;
          const d = dyLine + <usize>ox * rowBytes;
          const d00 = v128.load(d);
          const d01 = v128.load(d, 16);
          const d10 = v128.load(d + rowBytes);
          const d11 = v128.load(d + rowBytes, 16);
          const d20 = v128.load(d + 2 * rowBytes);
          const d21 = v128.load(d + 2 * rowBytes, 16);
          const d30 = v128.load(d + 3 * rowBytes);
          const d31 = v128.load(d + 3 * rowBytes, 16);
          let wp = grads;
          for (let ky = 0; ky < kernel; ky++) {
            const row = <usize>ky * lineBytes;
            for (let t = 0; t < run; t++) {
              const at = row + ((<usize>t) << 2);
              const x0 = v128.load32_splat(s0 + at);
              const x1 = v128.load32_splat(s1 + at);
              const x2 = v128.load32_splat(s2 + at);
              const x3 = v128.load32_splat(s3 + at);
              let g0 = v128.load(wp);
              let g1 = v128.load(wp, 16);
              g0 = f32x4.add(g0, f32x4.mul(x0, d00));
              g1 = f32x4.add(g1, f32x4.mul(x0, d01));
              g0 = f32x4.add(g0, f32x4.mul(x1, d10));
              g1 = f32x4.add(g1, f32x4.mul(x1, d11));
              g0 = f32x4.add(g0, f32x4.mul(x2, d20));
              g1 = f32x4.add(g1, f32x4.mul(x2, d21));
              g0 = f32x4.add(g0, f32x4.mul(x3, d30));
              g1 = f32x4.add(g1, f32x4.mul(x3, d31));
              v128.store(wp, g0);
              v128.store(wp, g1, 16);
              wp += rowBytes;
            }
          }
        }
        for (; ox < outWidth; ox++) {
          const s = line + <usize>ox * strideBytes;
          const d = dyLine + <usize>ox * rowBytes;
          const d0 = v128.load(d);
          const d1 = v128.load(d, 16);
          let wp = grads;
          for (let ky = 0; ky < kernel; ky++) {
            const row = <usize>ky * lineBytes;
            for (let t = 0; t < run; t++) {
              const xv = v128.load32_splat(s + row + ((<usize>t) << 2));
              v128.store(wp, f32x4.add(v128.load(wp), f32x4.mul(xv, d0)));
              v128.store(wp, f32x4.add(v128.load(wp, 16), f32x4.mul(xv, d1)), 16);
              wp += rowBytes;
            }
          }
        }
      }
    }
  }
}

/**
 * The input gradient of {@link conv2dNhwc}: every input pixel receives, from each window that
 * covers it, the sum over filters of dY at the window's output pixel times the weight that
 * joined them,
 *
 * ```
 *   dX[oy s + ky, ox s + kx, c] += sum over f of dY[oy, ox, f] * w[f, ky, kx, c]
 * ```
 *
 * (col2im(dY W^T) without the patches). `wt` holds the weights transposed, one row of
 * kernel^2 * channels per filter, so that a kernel row's run of kernel * channels inputs meets
 * a contiguous run of weights: 16 of them at a time are 4 f32x4 accumulators, each filter
 * adding one splatted dY times 4 weight vectors, and the run is then added onto dX once. `dx`
 * is the padded images (the caller zeroes them and drops the padding afterwards); `dy` is
 * [images * outHeight * outWidth, filters]. Sums are float32: over filters in order, then onto
 * dX window by window, row by row.
 */
export function conv2dInputGradient(
  dy: usize,
  images: i32,
  height: i32,
  width: i32,
  channels: i32,
  kernel: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  wt: usize,
  filters: i32,
  dx: usize,
): void {
  const run = kernel * channels;
  const patchBytes = (<usize>(kernel * run)) << 2;
  const lineBytes = (<usize>(width * channels)) << 2;
  const imageBytes = <usize>height * lineBytes;
  const strideBytes = (<usize>(stride * channels)) << 2;
  const dyRowBytes = (<usize>filters) << 2;
  let d = dy;
  for (let image = 0; image < images; image++) {
    const first = dx + <usize>image * imageBytes;
    for (let oy = 0; oy < outHeight; oy++) {
      const line = first + <usize>(oy * stride) * lineBytes;
      for (let ox = 0; ox < outWidth; ox++, d += dyRowBytes) {
        const window = line + <usize>ox * strideBytes;
        for (let ky = 0; ky < kernel; ky++) {
          const target = window + <usize>ky * lineBytes;
          const weights = wt + ((<usize>(ky * run)) << 2);
          let j = 0;
          for (; j + 16 <= run; j += 16) {
            const at = (<usize>j) << 2;
            let a0 = f32x4.splat(0);
            let a1 = f32x4.splat(0);
            let a2 = f32x4.splat(0);
            let a3 = f32x4.splat(0);
            let w = weights + at;
            for (let f = 0; f < filters; f++) {
              const g = v128.load32_splat(d + ((<usize>f) << 2));
              a0 = f32x4.add(a0, f32x4.mul(g, v128.load(w)));
              a1 = f32x4.add(a1, f32x4.mul(g, v128.load(w, 16)));
              a2 = f32x4.add(a2, f32x4.mul(g, v128.load(w, 32)));
              a3 = f32x4.add(a3, f32x4.mul(g, v128.load(w, 48)));
              w += patchBytes;
            }
            const t = target + at;
            v128.store(t, f32x4.add(v128.load(t), a0));
            v128.store(t, f32x4.add(v128.load(t, 16), a1), 16);
            v128.store(t, f32x4.add(v128.load(t, 32), a2), 32);
            v128.store(t, f32x4.add(v128.load(t, 48), a3), 48);
          }
          for (; j + 4 <= run; j += 4) {
            const at = (<usize>j) << 2;
            let a = f32x4.splat(0);
            let w = weights + at;
            for (let f = 0; f < filters; f++) {
              a = f32x4.add(a, f32x4.mul(v128.load32_splat(d + ((<usize>f) << 2)), v128.load(w)));
              w += patchBytes;
            }
            v128.store(target + at, f32x4.add(v128.load(target + at), a));
          }
          for (; j < run; j++) {
            const at = (<usize>j) << 2;
            let a: f32 = 0;
            let w = weights + at;
            for (let f = 0; f < filters; f++) {
              a += load<f32>(d + ((<usize>f) << 2)) * load<f32>(w);
              w += patchBytes;
            }
            store<f32>(target + at, load<f32>(target + at) + a);
          }
        }
      }
    }
  }
}
