import { describe, expect, it } from 'vitest';
import { Tensor, ValueError } from '@typedlearn/tensor';
import { checkFeatures } from '../src/index.js';

describe('checkFeatures', () => {
  const rows = 6;
  const cols = 7; // 42 values: the last two fall outside the groups of four the check sums
  const matrix = () =>
    new Tensor(
      Float32Array.from({ length: rows * cols }, (_, i) => i / 10),
      [rows, cols],
    );

  it('names the row and column of the first NaN or infinity, wherever it is', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of [0, 5, 17, 40, 41]) {
        const X = matrix();
        X.data[at] = bad;
        X.data[41] = at === 41 ? bad : -Infinity; // a later bad value must not be the one named
        if (at === 41) X.data[40] = 1;
        const row = Math.floor(at / cols);
        const column = at % cols;
        expect(() => checkFeatures(X)).toThrow(ValueError);
        expect(() => checkFeatures(X)).toThrow(`row ${row}, column ${column} is ${bad}`);
      }
    }
  });

  it('finds a NaN in any block of a matrix too large to sum in one block', () => {
    // 300 x 500 = 150,000 values: the sums go by blocks of 65,536, the last block partial.
    const wide = 500;
    const X = new Tensor(new Float32Array(300 * wide).fill(0.5), [300, wide]);
    expect(checkFeatures(X)).toBe(X);
    for (const at of [65535, 65536, 131072, 149999]) {
      X.data[at] = NaN;
      expect(() => checkFeatures(X)).toThrow(
        `row ${Math.floor(at / wide)}, column ${at % wide} is NaN`,
      );
      X.data[at] = 0.5;
    }
  });

  it('reads only the rows of a view, and accepts finite extremes', () => {
    const X = matrix();
    X.data[0] = NaN; // row 0, outside the view below
    X.data[cols] = 3.4e38;
    X.data[cols + 1] = -3.4e38;
    expect(checkFeatures(X.slice(1)).shape).toEqual([rows - 1, cols]);
    X.data[5 * cols + 6] = Infinity;
    expect(() => checkFeatures(X.slice(1))).toThrow('row 4, column 6 is Infinity');
  });
});
