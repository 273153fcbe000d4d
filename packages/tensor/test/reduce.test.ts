import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, Tensor, ValueError, mean, sum, variance } from '@typedlearn/tensor';
import { randomArray } from './helpers/reference.js';

describe('sum, mean and variance', () => {
  const t = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]);

  it('reduce everything to a scalar tensor', () => {
    expect(sum(t).shape).toEqual([]);
    expect(sum(t).toArray()).toBe(21);
    expect(mean(t).toArray()).toBe(3.5);
    expect(variance(t).toArray()).toBeCloseTo(35 / 12, 6);
    expect(variance(t, undefined, 1).toArray()).toBeCloseTo(3.5, 6);
  });

  it('reduce along an axis, negative axes counting from the end', () => {
    expect(sum(t, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(t, 1).toArray()).toEqual([6, 15]);
    expect(mean(t, -1).toArray()).toEqual([2, 5]);
    expect(variance(t, 0).toArray()).toEqual([2.25, 2.25, 2.25]);
    expect(variance(t, 1, 1).toArray()).toEqual([1, 1]);
  });

  it('work on views, integer dtypes and rank 3', () => {
    expect(sum(t.transpose(), 1).toArray()).toEqual([5, 7, 9]);
    expect(mean(Tensor.from([1, 2, 3, 4], [4], 'uint8')).toArray()).toBe(2.5);
    const cube = Tensor.from(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const middle = sum(cube, 1);
    expect(middle.shape).toEqual([2, 4]);
    expect(middle.get(1, 2)).toBe(14 + 18 + 22);
  });

  it('match a direct computation on 17 x 1023 random values', () => {
    const rng = new Rng(1);
    const x = new Tensor(randomArray(rng, 17 * 1023), [17, 1023]);
    const columnVariance = variance(x, 0, 1);
    for (const j of [0, 511, 1022]) {
      const column = Array.from({ length: 17 }, (_, i) => x.get(i, j));
      const m = column.reduce((s, v) => s + v, 0) / 17;
      const v = column.reduce((s, value) => s + (value - m) ** 2, 0) / 16;
      expect(mean(x, 0).get(j)).toBeCloseTo(m, 6);
      expect(columnVariance.get(j)).toBeCloseTo(v, 6);
    }
  });

  it('stay accurate for a large offset (two-pass variance)', () => {
    const shifted = Tensor.from([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4]);
    expect(variance(shifted).toArray()).toBeCloseTo(1.25, 6);
  });

  it('give NaN where nothing is left to divide by', () => {
    expect(mean(Tensor.zeros([0])).toArray()).toBeNaN();
    expect(variance(Tensor.from([3]), undefined, 1).toArray()).toBeNaN();
  });

  it('refuse axes out of range and a bad ddof', () => {
    expect(() => sum(t, 2)).toThrow(/axis 2 is out of range for shape \[2, 3\]/);
    expect(() => mean(t, -3)).toThrow(ShapeError);
    expect(() => variance(t, 0, -1)).toThrow(ValueError);
  });
});
