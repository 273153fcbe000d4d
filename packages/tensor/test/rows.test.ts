import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Rng,
  ShapeError,
  argmaxRows,
  logSumExpRows,
  rowSquaredNorms,
  softmaxRows,
} from '@typedlearn/tensor';
import { randomArray } from './helpers/reference.js';

const rng = new Rng(9);
const shapes: [number, number][] = [
  [1, 1],
  [3, 17],
  [17, 3],
  [2, 1023],
];

describe('softmaxRows', () => {
  for (const [rows, cols] of shapes) {
    it(`matches exp(x) / sum exp(x) on ${rows}x${cols}`, () => {
      const x = randomArray(rng, rows * cols).map((v) => 5 * v);
      const expected = Array.from(x, (_, at) => {
        const start = Math.floor(at / cols) * cols;
        let total = 0;
        for (let j = start; j < start + cols; j++) total += Math.exp(x[j]);
        return Math.exp(x[at]) / total;
      });
      softmaxRows(x, rows, cols);
      for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(expected[i], 6);
    });
  }

  it('stays finite for huge logits, where the naive formula overflows', () => {
    const x = Float32Array.of(1000, 1000 + Math.log(3), -1000, -1000);
    const gap = x[1] - x[0]; // log(3) up to float32 rounding at 1000
    softmaxRows(x, 2, 2);
    expect(x[0]).toBeCloseTo(1 / (1 + Math.exp(gap)), 6);
    expect(x[1]).toBeCloseTo(1 / (1 + Math.exp(-gap)), 6);
    expect(x[0]).toBeCloseTo(0.25, 4);
    expect([x[2], x[3]]).toEqual([0.5, 0.5]);
  });

  it('refuses a matrix larger than its storage, or float64 storage', () => {
    expect(() => softmaxRows(new Float32Array(5), 2, 3)).toThrow(
      /softmaxRows: a 2 x 3 matrix needs 6 elements, got 5/,
    );
    expect(() => softmaxRows(new Float64Array(6) as never, 2, 3)).toThrow(DTypeError);
  });
});

describe('logSumExpRows', () => {
  for (const [rows, cols] of shapes) {
    it(`matches log(sum exp(x)) on ${rows}x${cols}`, () => {
      const x = randomArray(rng, rows * cols);
      const out = logSumExpRows(x, rows, cols, new Float64Array(rows));
      for (let i = 0; i < rows; i++) {
        let total = 0;
        for (let j = 0; j < cols; j++) total += Math.exp(x[i * cols + j]);
        expect(out[i]).toBeCloseTo(Math.log(total), 10);
      }
    });
  }

  it('handles magnitudes that overflow exp, and rows of -Infinity', () => {
    const x = Float32Array.of(800, 800, -Infinity, -Infinity);
    const out = logSumExpRows(x, 2, 2, new Float32Array(2));
    expect(out[0]).toBeCloseTo(800 + Math.log(2), 3);
    expect(out[1]).toBe(-Infinity);
  });

  it('refuses an output shorter than the number of rows', () => {
    expect(() => logSumExpRows(new Float32Array(6), 3, 2, new Float32Array(2))).toThrow(
      /out needs one element per row \(3\), got 2/,
    );
  });
});

describe('argmaxRows', () => {
  it('finds the first largest value of each row', () => {
    const x = Float32Array.of(1, 5, 5, 9, -1, 2, 0, 0, 0);
    expect([...argmaxRows(x, 3, 3, new Int32Array(3))]).toEqual([1, 0, 0]);
  });

  for (const [rows, cols] of shapes) {
    it(`agrees with indexOf(max) on ${rows}x${cols}`, () => {
      const x = randomArray(rng, rows * cols);
      const out = argmaxRows(x, rows, cols, new Int32Array(rows));
      for (let i = 0; i < rows; i++) {
        const row = Array.from(x.subarray(i * cols, (i + 1) * cols));
        expect(out[i]).toBe(row.indexOf(Math.max(...row)));
      }
    });
  }

  it('refuses rows without columns', () => {
    expect(() => argmaxRows(new Float32Array(0), 2, 0, new Int32Array(2))).toThrow(ShapeError);
  });
});

describe('rowSquaredNorms', () => {
  for (const [rows, cols] of shapes) {
    it(`matches sum of squares on ${rows}x${cols}`, () => {
      const x = randomArray(rng, rows * cols);
      const out = rowSquaredNorms(x, rows, cols, new Float32Array(rows));
      for (let i = 0; i < rows; i++) {
        let total = 0;
        for (let j = 0; j < cols; j++) total += x[i * cols + j] ** 2;
        expect(out[i]).toBeCloseTo(total, 4);
      }
    });
  }
});
