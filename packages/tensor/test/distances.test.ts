import { describe, expect, it } from 'vitest';
import { DTypeError, Rng, Tensor, pairwiseSquaredDistances } from '@typedlearn/tensor';
import { randomArray } from './helpers/reference.js';

describe('pairwiseSquaredDistances', () => {
  const rng = new Rng(4);

  for (const [n, m, d] of [
    [1, 1, 1],
    [3, 17, 5],
    [17, 3, 1023],
  ]) {
    it(`matches sum (a - b)^2 for ${n} x ${m} rows of ${d} features`, () => {
      const a = new Tensor(randomArray(rng, n * d), [n, d]);
      const b = new Tensor(randomArray(rng, m * d), [m, d]);
      const distances = pairwiseSquaredDistances(a, b);
      expect(distances.shape).toEqual([n, m]);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let expected = 0;
          for (let f = 0; f < d; f++) expected += (a.get(i, f) - b.get(j, f)) ** 2;
          expect(distances.get(i, j)).toBeCloseTo(expected, 3);
        }
      }
    });
  }

  it('is exactly zero, never negative, from a point to itself', () => {
    const a = new Tensor(
      randomArray(rng, 6 * 50).map((v) => v + 100),
      [6, 50],
    );
    const distances = pairwiseSquaredDistances(a, a);
    for (let i = 0; i < 6; i++) expect(distances.get(i, i)).toBeGreaterThanOrEqual(0);
    expect(distances.get(2, 2)).toBeLessThan(1e-2);
  });

  it('accepts views and writes into out', () => {
    const a = Tensor.from([0, 0, 3, 4, 1, 1], [3, 2]);
    const out = Tensor.zeros([2, 3]);
    pairwiseSquaredDistances(a.slice(0, 2), a, out);
    expect(out.toArray()).toEqual([
      [0, 25, 2],
      [25, 0, 13],
    ]);
  });

  it('refuses a feature-count mismatch and integer tensors', () => {
    expect(() => pairwiseSquaredDistances(Tensor.zeros([2, 3]), Tensor.zeros([2, 4]))).toThrow(
      /a has 3 columns but b has 4/,
    );
    expect(() =>
      pairwiseSquaredDistances(Tensor.zeros([2, 3], 'int32') as never, Tensor.zeros([2, 3])),
    ).toThrow(DTypeError);
  });
});
