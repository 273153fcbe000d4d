import { describe, expect, it } from 'vitest';
import { DTypeError, Rng, ShapeError, axpy, dot, gemv } from '@typedlearn/tensor';
import { randomArray } from './helpers/reference.js';

const rng = new Rng(3);

describe('dot and axpy', () => {
  for (const n of [1, 3, 17, 1023]) {
    it(`match the plain loops for n = ${n}`, () => {
      const a = randomArray(rng, n);
      const b = randomArray(rng, n);
      let expected = 0;
      for (let i = 0; i < n; i++) expected += a[i] * b[i];
      expect(dot(a, b)).toBeCloseTo(expected, 10);

      const y = b.slice();
      axpy(-0.5, a, y);
      for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(b[i] - 0.5 * a[i], 6);
    });
  }

  it('use only the first n elements when n is given', () => {
    expect(dot(Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 100), 2)).toBe(14);
    const y = Float32Array.of(1, 1, 1);
    expect([...axpy(2, Float32Array.of(1, 2, 3), y, 2)]).toEqual([3, 5, 1]);
  });

  it('refuse short arrays and other dtypes', () => {
    expect(() => dot(new Float32Array(3), new Float32Array(2))).toThrow(
      /dot: b needs at least 3 elements, got 2/,
    );
    expect(() => axpy(1, new Float32Array(2), new Float32Array(2), 5)).toThrow(ShapeError);
    expect(() => dot(new Float64Array(2) as never, new Float32Array(2))).toThrow(DTypeError);
  });
});

describe('gemv', () => {
  for (const [m, n] of [
    [1, 1],
    [3, 17],
    [17, 3],
    [1023, 5],
  ]) {
    for (const trans of [false, true]) {
      it(`${m}x${n} trans=${trans} with a padded row stride, alpha and beta`, () => {
        const lda = n + 2;
        const a = randomArray(rng, m * lda);
        const x = randomArray(rng, trans ? m : n);
        const y = randomArray(rng, trans ? n : m);
        const expected = Array.from(y, (old, i) => {
          let sum = 0;
          for (let j = 0; j < x.length; j++)
            sum += (trans ? a[j * lda + i] : a[i * lda + j]) * x[j];
          return 1.5 * sum - 2 * old;
        });
        gemv(trans, m, n, 1.5, a, lda, x, -2, y);
        for (let i = 0; i < y.length; i++) expect(y[i]).toBeCloseTo(expected[i], 4);
      });
    }
  }

  it('does not read y when beta = 0', () => {
    const y = new Float32Array(2).fill(NaN);
    gemv(false, 2, 2, 1, Float32Array.of(1, 2, 3, 4), 2, Float32Array.of(1, 1), 0, y);
    expect([...y]).toEqual([3, 7]);
  });

  it('refuses a stride shorter than a row and vectors of the wrong length', () => {
    const a = new Float32Array(6);
    expect(() => gemv(false, 2, 3, 1, a, 2, new Float32Array(3), 0, new Float32Array(2))).toThrow(
      /lda must be an integer >= 3/,
    );
    expect(() => gemv(true, 2, 3, 1, a, 3, new Float32Array(1), 0, new Float32Array(3))).toThrow(
      /gemv: x needs at least 2 elements, got 1/,
    );
  });
});
