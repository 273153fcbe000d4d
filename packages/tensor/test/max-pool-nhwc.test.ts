// Max pooling on both backends: a case worked by hand, and random images with many ties
// (values on a coarse grid), channel counts with and without a remainder past 4, overlapping
// windows and windows cut at the edges, against the definition written out in the test.
import { afterAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  Rng,
  ShapeError,
  ValueError,
  maxPoolNhwc,
  setBackend,
  type PoolShape,
} from '@typedlearn/tensor';

afterAll(() => setBackend('auto'));

/** Each window's maximum and the index in its image of the first input equal to it. */
function definition(s: PoolShape, images: number, x: Float32Array) {
  const out: number[] = [];
  const winners: number[] = [];
  for (let n = 0; n < images; n++) {
    for (let oy = 0; oy < s.outHeight; oy++) {
      for (let ox = 0; ox < s.outWidth; ox++) {
        for (let c = 0; c < s.channels; c++) {
          const window: number[] = [];
          for (let iy = oy * s.stride; iy < Math.min(oy * s.stride + s.size, s.height); iy++) {
            for (let ix = ox * s.stride; ix < Math.min(ox * s.stride + s.size, s.width); ix++) {
              window.push((iy * s.width + ix) * s.channels + c);
            }
          }
          const image = n * s.height * s.width * s.channels;
          const best = Math.max(...window.map((i) => x[image + i]));
          out.push(best);
          winners.push(window.find((i) => x[image + i] === best)!);
        }
      }
    }
  }
  return { out, winners };
}

describe.each(BACKENDS)('maxPoolNhwc on %s', (backend) => {
  it('pools a 4 x 4 image by hand', () => {
    setBackend(backend);
    const shape = { height: 4, width: 4, channels: 1, size: 2, stride: 2, outHeight: 2, outWidth: 2 }; // prettier-ignore
    const x = Float32Array.of(1, 5, 2, 2, 3, 4, 2, 2, -1, -2, 0, 9, -3, -1, 8, 7);
    const out = new Float32Array(4);
    const winners = new Int32Array(4);
    maxPoolNhwc(shape, 1, x, out, winners);
    expect(Array.from(out)).toEqual([5, 2, -1, 9]);
    expect(Array.from(winners)).toEqual([1, 2, 8, 11]); // the first of the tied 2s
  });

  it.each([
    // height, width, channels, size, stride, images
    [24, 24, 8, 2, 2, 3],
    [8, 8, 16, 2, 2, 2],
    [7, 7, 5, 3, 2, 2],
    [5, 6, 3, 2, 2, 2],
    [6, 6, 4, 3, 1, 1],
  ])(
    '%i x %i x %i, window %i, stride %i, %i images',
    (height, width, channels, size, stride, images) => {
      // prettier-ignore
      setBackend(backend);
      const windows = (n: number) =>
        Math.min(Math.ceil(n / stride), Math.max(1, Math.ceil((n - size) / stride) + 1));
      const shape = { height, width, channels, size, stride, outHeight: windows(height), outWidth: windows(width) }; // prettier-ignore
      const rng = new Rng(height * 7 + channels);
      const x = new Float32Array(images * height * width * channels).map(
        () => Math.round(8 * rng.uniform()) / 4 - 1, // 9 levels: many ties
      );
      const outputs = images * shape.outHeight * shape.outWidth * channels;
      const out = new Float32Array(outputs).fill(NaN);
      const winners = new Int32Array(outputs).fill(-1);
      maxPoolNhwc(shape, images, x, out, winners);
      const expected = definition(shape, images, x);
      expect(Array.from(out)).toEqual(expected.out);
      expect(Array.from(winners)).toEqual(expected.winners);
    },
  );

  it('refuses short arrays and windows that start outside the image', () => {
    setBackend(backend);
    const shape = { height: 4, width: 4, channels: 2, size: 2, stride: 2, outHeight: 2, outWidth: 2 }; // prettier-ignore
    const [x, out, winners] = [new Float32Array(32), new Float32Array(8), new Int32Array(8)];
    expect(() => maxPoolNhwc(shape, 2, x, out, winners)).toThrow(ShapeError);
    expect(() => maxPoolNhwc({ ...shape, outHeight: 3 }, 1, x, out, winners)).toThrow(ValueError);
  });
});
