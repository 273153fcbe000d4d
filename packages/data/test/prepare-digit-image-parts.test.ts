import { describe, expect, it } from 'vitest';
import { fitBackgroundPlane, subtractBackground } from '../src/images/background-plane.js';
import { eraseBorderClutter } from '../src/images/border-clutter.js';
import { InkComponents } from '../src/images/ink-components.js';
import { inkIsDarker } from '../src/images/ink-polarity.js';

/** A `width` x `height` float image from rows of characters: '.' is 0, '#' 1, digits d/10. */
function picture(rows: string[]): { ink: Float32Array; width: number; height: number } {
  const width = rows[0].length;
  const ink = Float32Array.from(rows.join(''), (c) =>
    c === '#' ? 1 : c === '.' ? 0 : Number(c) / 10,
  );
  return { ink, width, height: rows.length };
}

describe('fitBackgroundPlane', () => {
  it('gives a flat background exactly, whatever ink and frame lie on it', () => {
    const gray = new Float32Array(40 * 30).fill(0.8);
    for (let y = 5; y < 15; y++) gray.fill(0.1, y * 40 + 10, y * 40 + 22); // ink: 10% of pixels
    for (let x = 0; x < 40; x++) gray[x] = gray[29 * 40 + x] = 0; // a dark frame's top and bottom
    const plane = fitBackgroundPlane(gray, 40, 30);
    expect(plane).toMatchObject({ level: Math.fround(0.8), slopeX: 0, slopeY: 0 });
    subtractBackground(gray, 40, 30, plane);
    expect(gray[20 * 40 + 30]).toBe(0);
  });

  it('recovers a gradient under ink covering 30% of a large picture, from a sample of it', () => {
    // 0.3 + 0.0004 x + 0.0002 y over 1000 x 800: 0.3 .. 0.86; 2^16 of its pixels are sampled.
    const [width, height] = [1000, 800];
    const gray = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const ink = x > 300 && x < 700 && (y % 40 < 24 || x < 380); // strokes: 30% of pixels
        gray[y * width + x] = ink ? 0.05 : 0.3 + 0.0004 * x + 0.0002 * y;
      }
    }
    const plane = fitBackgroundPlane(gray, width, height);
    expect(plane.slopeX).toBeCloseTo(0.0004, 8);
    expect(plane.slopeY).toBeCloseTo(0.0002, 8);
    expect(plane.level).toBeCloseTo(0.3 + 0.0004 * 499.5 + 0.0002 * 399.5, 6);
  });

  it('fits a flat level to a picture one pixel high', () => {
    const gray = Float32Array.from({ length: 50 }, (_, x) => (x === 20 ? 0 : 0.5));
    expect(fitBackgroundPlane(gray, 50, 1)).toMatchObject({ level: 0.5, slopeX: 0, slopeY: 0 });
  });
});

describe('inkIsDarker', () => {
  it('picks the side whose strong deviations carry more mass, ignoring faint ones', () => {
    // Dark strokes (mass 1.2) against a light frame (mass 0.9) and much faint light noise.
    const residual = Float32Array.from([-0.4, -0.4, -0.4, 0.3, 0.3, 0.3, ...Array(50).fill(0.09)]);
    expect(inkIsDarker(residual, 0.1)).toBe(true);
    expect(
      inkIsDarker(
        residual.map((r) => -r),
        0.1,
      ),
    ).toBe(false);
    expect(inkIsDarker(new Float32Array(10), 0.1)).toBe(false); // blank: either way
  });
});

describe('InkComponents', () => {
  it('joins 8-connected ink, diagonals and U-turns included, and measures each piece', () => {
    const { ink, width, height } = picture([
      '.#....#.#',
      '..7..#..#',
      '.....#..#',
      '##...####',
      '.........',
    ]);
    const found = new InkComponents(ink, width, height, 0.5);
    expect(found.components).toEqual([
      // (1, 0) and (2, 1) touch diagonally; (2, 1) is 0.7, one pixel from the top edge.
      { left: 1, top: 0, right: 2, bottom: 1, pixels: 2, peak: 1, depth: 1 },
      // A U: its arms, separate runs until row 3, meet there; (5, 2) is 2 pixels from any edge.
      { left: 5, top: 0, right: 8, bottom: 3, pixels: 10, peak: 1, depth: 2 },
      { left: 0, top: 3, right: 1, bottom: 3, pixels: 2, peak: 1, depth: 1 },
    ]);
    found.erase(1, ink);
    expect(ink.reduce((s, v) => s + v, 0)).toBeCloseTo(1 + 0.7 + 2, 6);
    expect(new InkComponents(ink, width, height, 0.8).components).toHaveLength(2); // 0.7 is out
  });
});

describe('eraseBorderClutter', () => {
  /** A 40 x 40 picture with a blob of ink in rows and columns 15..24. */
  function blob(): Float32Array {
    const ink = new Float32Array(1600);
    for (let y = 15; y < 25; y++) ink.fill(1, y * 40 + 15, y * 40 + 25);
    return ink;
  }

  it('erases a frame, and a line along one edge, and crops to the rest', () => {
    const framed = blob();
    for (let i = 0; i < 40; i++)
      framed[i] = framed[i * 40] = framed[i * 40 + 39] = framed[1560 + i] = 1;
    expect(eraseBorderClutter(framed, 40, 40, 0.1)).toEqual({
      x0: 15,
      y0: 15,
      width: 10,
      height: 10,
    });
    expect(framed.reduce((s, v) => s + v, 0)).toBe(100);
    const lined = blob();
    for (let y = 5; y < 35; y++) lined.fill(0.9, y * 40 + 38, y * 40 + 40); // 2 pixels wide
    expect(eraseBorderClutter(lined, 40, 40, 0.1)).toEqual({
      x0: 15,
      y0: 15,
      width: 10,
      height: 10,
    });
  });

  it('keeps the ink along the edge when nothing else is left', () => {
    const ink = new Float32Array(1600);
    for (let i = 0; i < 40; i++) ink[i * 40] = 1;
    expect(eraseBorderClutter(ink, 40, 40, 0.1)).toEqual({ x0: 0, y0: 0, width: 1, height: 40 });
  });

  it('keeps a stroke that reaches deep into the picture from the edge', () => {
    const ink = blob();
    for (let y = 0; y < 25; y++) ink.fill(1, y * 40 + 20, y * 40 + 23); // down from the top
    expect(eraseBorderClutter(ink, 40, 40, 0.1)).toEqual({ x0: 15, y0: 0, width: 10, height: 25 });
  });

  it('erases a faint band along a side, but not a strong one of the same shape', () => {
    for (const [level, x0] of [
      [0.3, 15],
      [0.8, 0],
    ]) {
      const ink = blob();
      for (let y = 0; y < 40; y++) ink.fill(level, y * 40, y * 40 + 6); // 6 pixels deep
      expect(eraseBorderClutter(ink, 40, 40, 0.1).x0).toBe(x0);
    }
  });
});
