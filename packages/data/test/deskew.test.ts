import { describe, expect, it } from 'vitest';
import { Tensor, withPool } from '@typedlearn/tensor';
import { Deskew, deskew, deskewImage, transformFromState } from '@typedlearn/data';

const SIDE = 28;
/** The centre of a 28-pixel side in pixel coordinates 0..27. */
const MIDDLE = (SIDE - 1) / 2;

/**
 * A 3-pixel-wide stroke through (x, y) = (MIDDLE + dx + slope (y - MIDDLE), y) for rows 4..23:
 * its centre of mass is (MIDDLE + dx, MIDDLE).
 */
function slantedStroke(slope: number, dx = 0): Float32Array {
  const image = new Float32Array(SIDE * SIDE);
  for (let y = 4; y < 24; y++) {
    const centre = MIDDLE + dx + slope * (y - MIDDLE);
    for (let x = 0; x < SIDE; x++) {
      image[y * SIDE + x] = Math.max(0, Math.min(1, 2 - Math.abs(x - centre)));
    }
  }
  return image;
}

/** Skew mu11 / mu02 and the spread (max - min) of the per-row centres of mass. */
function slant(image: Float32Array) {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < image.length; i++) {
    mass += image[i];
    sx += (i % SIDE) * image[i];
    sy += Math.floor(i / SIDE) * image[i];
  }
  const cx = sx / mass;
  const cy = sy / mass;
  let mu11 = 0;
  let mu02 = 0;
  const rowCentres: number[] = [];
  for (let y = 0; y < SIDE; y++) {
    let rowMass = 0;
    let rowX = 0;
    for (let x = 0; x < SIDE; x++) {
      const v = image[y * SIDE + x];
      mu11 += (x - cx) * (y - cy) * v;
      mu02 += (y - cy) ** 2 * v;
      rowMass += v;
      rowX += x * v;
    }
    if (rowMass > 0) rowCentres.push(rowX / rowMass);
  }
  return {
    skew: mu11 / mu02,
    spread: Math.max(...rowCentres) - Math.min(...rowCentres),
    cx,
    cy,
    mass,
  };
}

describe('deskew', () => {
  it('deskews the same bits on a pool of threads, a share of the images each', async () => {
    const images = [0.4, -0.3, 0, 0.7, -0.6].map((slope, i) => slantedStroke(slope, i - 2));
    const rows = new Tensor(Float32Array.from(images.flatMap((image) => Array.from(image))), [
      5,
      SIDE * SIDE,
    ]);
    const expected = new Deskew().fitTransform(rows);
    const step = new Deskew();
    const out = await withPool(2, (pool) => step.fitTransformOn(pool, rows));
    expect(out.shape).toEqual([5, SIDE * SIDE]);
    expect(out.data).toEqual(expected.data);
    expect(step.isFitted).toBe(true);
  });

  it('makes a slanted stroke upright, keeping its ink', () => {
    for (const slope of [-0.4, 0.25, 0.5]) {
      const image = slantedStroke(slope);
      const before = slant(image);
      expect(before.skew).toBeCloseTo(slope, 2);
      expect(before.spread).toBeGreaterThan(19 * Math.abs(slope) - 0.5);
      const out = new Float32Array(SIDE * SIDE);
      deskewImage(image, out, SIDE, SIDE);
      const after = slant(out);
      expect(Math.abs(after.skew)).toBeLessThan(0.01);
      expect(after.spread).toBeLessThan(0.2);
      expect(after.cx).toBeCloseTo(MIDDLE, 1);
      expect(after.mass).toBeCloseTo(before.mass, 3);
    }
  });

  it('moves the centre of mass to the centre of the image, keeping pixels in [0, 1]', () => {
    // A blob whose centre of mass is pixels away from the centre in both directions.
    const image = new Float32Array(SIDE * SIDE);
    for (let y = 6; y < 12; y++) {
      for (let x = 15; x < 19; x++) image[y * SIDE + x] = (x + y) % 3 === 0 ? 1 : 0.4;
    }
    const before = slant(image);
    expect(Math.abs(before.cx - MIDDLE)).toBeGreaterThan(2);
    expect(Math.abs(before.cy - MIDDLE)).toBeGreaterThan(2);
    const out = new Float32Array(SIDE * SIDE);
    deskewImage(image, out, SIDE, SIDE);
    const after = slant(out);
    expect(after.cx).toBeCloseTo(MIDDLE, 4);
    expect(after.cy).toBeCloseTo(MIDDLE, 4);
    expect(after.mass).toBeCloseTo(before.mass, 4);
    expect(Math.abs(after.skew)).toBeLessThan(0.01);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);

    // On a non-square image the centre is ((width - 1) / 2, (height - 1) / 2): a single pixel
    // of ink at (x, y) = (1, 2) of a 5 x 4 (height x width) image lands on (1.5, 2): half in
    // column 1, half in column 2 of row 2.
    const small = new Float32Array(20);
    small[2 * 4 + 1] = 1;
    const moved = new Float32Array(20);
    deskewImage(small, moved, 5, 4);
    const expected = new Float32Array(20);
    expected[2 * 4 + 1] = 0.5;
    expected[2 * 4 + 2] = 0.5;
    expect(Array.from(moved)).toEqual(Array.from(expected));
  });

  it('leaves centred upright strokes and blank images alone', () => {
    const upright = slantedStroke(0);
    expect(slant(upright).cx).toBe(MIDDLE);
    const out = new Float32Array(SIDE * SIDE);
    deskewImage(upright, out, SIDE, SIDE);
    expect(Array.from(out)).toEqual(Array.from(upright));
    deskewImage(new Float32Array(SIDE * SIDE), out, SIDE, SIDE);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('works on batches of images or rows, and as a pipeline step', () => {
    const batch = new Float32Array(2 * SIDE * SIDE);
    batch.set(slantedStroke(0.3, 1.25));
    batch.set(slantedStroke(-0.3, -2), SIDE * SIDE);
    const images = new Tensor(batch, [2, SIDE, SIDE]);
    const straightened = deskew(images);
    expect(straightened.shape).toEqual([2, SIDE, SIDE]);
    const second = slant(straightened.data.subarray(SIDE * SIDE));
    expect(Math.abs(second.skew)).toBeLessThan(0.01);
    expect(second.cx).toBeCloseTo(MIDDLE, 1);
    const rows = images.reshape([2, SIDE * SIDE]);
    expect(Array.from(deskew(rows).data)).toEqual(Array.from(straightened.data));
    const step = new Deskew();
    expect(Array.from(step.fitTransform(rows).data)).toEqual(Array.from(straightened.data));
    expect(Array.from(transformFromState(step.toState()).transform(rows).data)).toEqual(
      Array.from(straightened.data),
    );
  });

  it('refuses images of the wrong size or type', () => {
    expect(() => deskew(Tensor.zeros([2, 100]))).toThrow(
      /expects images \[N, 28, 28\] or rows \[N, 784\], got \[2, 100\]/,
    );
    expect(() => deskew(Tensor.zeros([2, 100]), { height: 10, width: 10 })).not.toThrow();
    expect(() => deskew(Tensor.zeros([1, 784], 'uint8') as never)).toThrow(/float32 images/);
    expect(() => new Deskew({ height: 10, width: 10 }).fit(Tensor.zeros([1, 99]))).toThrow(
      /rows of 10 x 10 = 100 pixels, got 99 features/,
    );
  });
});
