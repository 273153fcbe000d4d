// The direct convolution and its two gradients on both backends: a small case worked by hand, and random cases
// (padding, stride, channels, filter counts that are and are not multiples of 8, output rows
// that do and do not split into blocks of 4 pixels) against the same convolution computed the
// other way, by the textbook triple loop on im2col patches: P W, P^T dY, and col2im(dY W^T).
import { afterAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  Rng,
  ShapeError,
  ValueError,
  conv2dFilterGradient,
  conv2dInputGradient,
  conv2dNhwc,
  setBackend,
  type Conv2dShape,
} from '@typedlearn/tensor';
import { randomArray, referenceGemm } from './helpers/reference.js';

afterAll(() => setBackend('auto'));

/** The shape of a convolution with `pad` zero pixels on each side. */
function shapeOf(
  height: number,
  width: number,
  channels: number,
  kernel: number,
  stride: number,
  pad: number,
  filters: number,
): Conv2dShape {
  const out = (n: number) => Math.floor((n + 2 * pad - kernel) / stride) + 1;
  return { height, width, channels, kernel, stride, padTop: pad, padLeft: pad, outHeight: out(height), outWidth: out(width), filters }; // prettier-ignore
}

/** The im2col patches of `images` images: one row of kernel^2 * channels inputs per output pixel. */
function patchesOf(s: Conv2dShape, images: number, x: Float32Array): Float32Array {
  const row = s.kernel * s.kernel * s.channels;
  const patches = new Float32Array(images * s.outHeight * s.outWidth * row);
  let p = 0;
  for (let n = 0; n < images; n++) {
    for (let oy = 0; oy < s.outHeight; oy++) {
      for (let ox = 0; ox < s.outWidth; ox++) {
        for (let ky = 0; ky < s.kernel; ky++) {
          for (let kx = 0; kx < s.kernel; kx++) {
            for (let c = 0; c < s.channels; c++) {
              const iy = oy * s.stride + ky - s.padTop;
              const ix = ox * s.stride + kx - s.padLeft;
              const inside = iy >= 0 && iy < s.height && ix >= 0 && ix < s.width;
              patches[p++] = inside ? x[((n * s.height + iy) * s.width + ix) * s.channels + c] : 0;
            }
          }
        }
      }
    }
  }
  return patches;
}

/** The adjoint of {@link patchesOf}: each patch value added back onto the pixel it came from. */
function col2imOf(s: Conv2dShape, images: number, patches: Float64Array): Float64Array {
  const dx = new Float64Array(images * s.height * s.width * s.channels);
  let p = 0;
  for (let n = 0; n < images; n++) {
    for (let oy = 0; oy < s.outHeight; oy++) {
      for (let ox = 0; ox < s.outWidth; ox++) {
        for (let ky = 0; ky < s.kernel; ky++) {
          for (let kx = 0; kx < s.kernel; kx++) {
            for (let c = 0; c < s.channels; c++, p++) {
              const iy = oy * s.stride + ky - s.padTop;
              const ix = ox * s.stride + kx - s.padLeft;
              if (iy < 0 || iy >= s.height || ix < 0 || ix >= s.width) continue;
              dx[((n * s.height + iy) * s.width + ix) * s.channels + c] += patches[p];
            }
          }
        }
      }
    }
  }
  return dx;
}

describe.each(BACKENDS)('conv2dNhwc on %s', (backend) => {
  it('computes a 2 x 2 kernel on a 3 x 3 image by hand', () => {
    setBackend(backend);
    const shape = shapeOf(3, 3, 1, 2, 1, 0, 1);
    const x = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const w = Float32Array.of(1, 0, 0, -1); // top-left minus bottom-right
    const out = new Float32Array(4);
    conv2dNhwc(shape, 1, x, w, Float32Array.of(10), out);
    expect(Array.from(out)).toEqual([6, 6, 6, 6]);
  });

  it.each([
    // height, width, channels, kernel, stride, pad, filters, images
    [28, 28, 1, 5, 1, 0, 16, 3],
    [12, 12, 8, 5, 1, 0, 32, 2],
    [9, 7, 3, 3, 1, 1, 20, 2],
    [10, 11, 2, 3, 2, 1, 3, 3],
    [6, 6, 4, 4, 2, 2, 8, 1],
    [5, 5, 1, 5, 1, 2, 9, 2],
  ])(
    '%i x %i x %i, kernel %i, stride %i, padding %i, %i filters, %i images',
    (height, width, channels, kernel, stride, pad, filters, images) => {
      // prettier-ignore
      setBackend(backend);
      const rng = new Rng(height * 31 + filters);
      const shape = shapeOf(height, width, channels, kernel, stride, pad, filters);
      const x = randomArray(rng, images * height * width * channels);
      const w = randomArray(rng, kernel * kernel * channels * filters);
      const bias = randomArray(rng, filters);
      const rows = images * shape.outHeight * shape.outWidth;
      const depth = kernel * kernel * channels;
      const withBias = new Float32Array(rows * filters);
      for (let r = 0; r < rows; r++) withBias.set(bias, r * filters);
      const expected = referenceGemm(false, false, rows, filters, depth, 1, patchesOf(shape, images, x), depth, w, filters, 1, withBias, filters); // prettier-ignore
      const out = new Float32Array(rows * filters).fill(NaN);
      conv2dNhwc(shape, images, x, w, bias, out);
      for (let i = 0; i < rows * filters; i++) {
        // float32 sums of `depth` terms: a few units in the last place of the magnitude each.
        expect(Math.abs(out[i] - expected.value[i])).toBeLessThanOrEqual(
          depth * 1.2e-7 * expected.magnitude[i] + 1e-7,
        );
      }
    },
  );

  it.each([
    [28, 28, 1, 5, 1, 0, 8, 2],
    [12, 12, 8, 5, 1, 0, 16, 3],
    [9, 7, 3, 3, 1, 1, 20, 2],
    [10, 11, 2, 3, 2, 1, 3, 2],
  ])(
    'filter gradient: %i x %i x %i, kernel %i, stride %i, padding %i, %i filters, %i images',
    (height, width, channels, kernel, stride, pad, filters, images) => {
      // prettier-ignore
      setBackend(backend);
      const rng = new Rng(height * 17 + filters);
      const shape = shapeOf(height, width, channels, kernel, stride, pad, filters);
      const x = randomArray(rng, images * height * width * channels);
      const rows = images * shape.outHeight * shape.outWidth;
      const dy = randomArray(rng, rows * filters);
      const depth = kernel * kernel * channels;
      const zero = new Float32Array(depth * filters);
      const expected = referenceGemm(true, false, depth, filters, rows, 1, patchesOf(shape, images, x), depth, dy, filters, 0, zero, filters); // prettier-ignore
      const dw = new Float32Array(depth * filters).fill(NaN);
      conv2dFilterGradient(shape, images, x, dy, dw);
      for (let i = 0; i < depth * filters; i++) {
        expect(Math.abs(dw[i] - expected.value[i])).toBeLessThanOrEqual(
          rows * 1.2e-7 * expected.magnitude[i] + 1e-7,
        );
      }
    },
  );

  it.each([
    [12, 12, 8, 5, 1, 0, 16, 2],
    [12, 12, 16, 5, 1, 0, 32, 1],
    [9, 7, 3, 3, 1, 1, 20, 2],
    [10, 11, 2, 3, 2, 1, 3, 2],
    [6, 6, 4, 4, 2, 2, 8, 1],
  ])(
    'input gradient: %i x %i x %i, kernel %i, stride %i, padding %i, %i filters, %i images',
    (height, width, channels, kernel, stride, pad, filters, images) => {
      // prettier-ignore
      setBackend(backend);
      const rng = new Rng(height * 13 + filters);
      const shape = shapeOf(height, width, channels, kernel, stride, pad, filters);
      const rows = images * shape.outHeight * shape.outWidth;
      const dy = randomArray(rng, rows * filters);
      const depth = kernel * kernel * channels;
      const w = randomArray(rng, depth * filters);
      const zero = new Float32Array(rows * depth);
      const patchGradient = referenceGemm(false, true, rows, depth, filters, 1, dy, filters, w, filters, 0, zero, depth); // prettier-ignore
      const expected = col2imOf(shape, images, patchGradient.value);
      const bound = col2imOf(shape, images, patchGradient.magnitude);
      const dx = new Float32Array(images * height * width * channels).fill(NaN);
      conv2dInputGradient(shape, images, dy, w, dx);
      for (let i = 0; i < dx.length; i++) {
        expect(Math.abs(dx[i] - expected[i])).toBeLessThanOrEqual(
          (filters + kernel * kernel) * 1.2e-7 * bound[i] + 1e-7,
        );
      }
    },
  );

  it('refuses arrays too short and shapes that are not whole numbers', () => {
    setBackend(backend);
    const shape = shapeOf(4, 4, 1, 3, 1, 0, 2);
    const ok = () => [new Float32Array(16), new Float32Array(18), new Float32Array(2), new Float32Array(8)] as const; // prettier-ignore
    const [x, w, b, out] = ok();
    expect(() => conv2dNhwc(shape, 1, x, w, b, out.subarray(0, 7))).toThrow(ShapeError);
    expect(() => conv2dNhwc(shape, 2, x, w, b, out)).toThrow(/x must be a Float32Array of at least 32/); // prettier-ignore
    expect(() => conv2dNhwc({ ...shape, kernel: 2.5 }, 1, x, w, b, out)).toThrow(ValueError);
    expect(() => conv2dNhwc({ ...shape, padTop: -1 }, 1, x, w, b, out)).toThrow(/padding/);
    expect(() => conv2dFilterGradient(shape, 1, x, out, w.subarray(1))).toThrow(/dw must be a Float32Array of at least 18/); // prettier-ignore
  });
});
