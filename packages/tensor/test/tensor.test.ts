import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor } from '@typedlearn/tensor';

describe('Tensor views', () => {
  it('transposes and slices without copying', () => {
    const t = Tensor.from([0, 1, 2, 3, 4, 5], [2, 3]);
    const tt = t.transpose();
    expect(tt.shape).toEqual([3, 2]);
    expect(tt.data).toBe(t.data);
    expect(tt.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(tt.isContiguous).toBe(false);
    expect(tt.contiguous().toArray()).toEqual(tt.toArray());
    expect(t.slice(1).toArray()).toEqual([[3, 4, 5]]);
  });

  it('gives its elements as one row-major array: a view when contiguous, a copy otherwise', () => {
    const t = Tensor.from([0, 1, 2, 3, 4, 5], [3, 2]);
    const rows = t.slice(1);
    const view = rows.contiguousData();
    expect(Array.from(view)).toEqual([2, 3, 4, 5]);
    expect(view.buffer).toBe(t.data.buffer);
    view[0] = 20;
    expect(t.get(1, 0)).toBe(20);
    const copy = t.transpose().contiguousData();
    expect(Array.from(copy)).toEqual([0, 20, 4, 1, 3, 5]);
    expect(copy.buffer).not.toBe(t.data.buffer);
  });

  it('refuses views outside the storage', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(ShapeError);
    expect(() => Tensor.from([1, 2, 3], [2, 2])).toThrow(/3 values for shape \[2, 2\]/);
  });
});
