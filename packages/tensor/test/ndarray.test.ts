import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { describe, expect, it } from 'vitest';
import { DTypeError, Tensor, fromNdarray, toNdarray } from '@typedlearn/tensor';

describe('ndarray interop', () => {
  it('converts a tensor view to an ndarray sharing its storage', () => {
    const t = Tensor.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]);
    const view = t.slice(1).transpose(); // 4 x 2, strides [1, 4], offset 4
    const array = toNdarray(view);
    expect(array.data).toBe(t.data);
    expect(array.shape).toEqual([4, 2]);
    expect(array.stride).toEqual([1, 4]);
    expect(array.offset).toBe(4);
    expect(array.get(3, 1)).toBe(view.get(3, 1));
    array.set(0, 0, -1);
    expect(t.get(1, 0)).toBe(-1);
  });

  it('converts an ndarray, negative strides included, to a tensor without copying', () => {
    const data = Float32Array.of(1, 2, 3, 4, 5, 6);
    const reversed = ndarray(data, [2, 3]).step(-1, 1); // rows in reverse order
    const t = fromNdarray(reversed);
    expect(t.data).toBe(data);
    expect(t.toArray()).toEqual([
      [4, 5, 6],
      [1, 2, 3],
    ]);
    t.set(40, 0, 0);
    expect(data[3]).toBe(40);
  });

  it('round-trips shape, strides, offset and dtype', () => {
    for (const dtype of ['float32', 'int32', 'uint8'] as const) {
      const t = Tensor.zeros([2, 3, 4], dtype).transpose([2, 0, 1]).slice(1, 3);
      const back = fromNdarray(toNdarray(t));
      expect(back.dtype).toBe(dtype);
      expect(back.data).toBe(t.data);
      expect([back.shape, back.strides, back.offset]).toEqual([t.shape, t.strides, t.offset]);
    }
  });

  it('lets ndarray-ops work on tensors in place', () => {
    const t = Tensor.from([1, 2, 3, 4], [2, 2]);
    ops.mulseq(toNdarray(t.transpose().row(0)), 10); // the first column
    expect(t.toArray()).toEqual([
      [10, 2],
      [30, 4],
    ]);
  });

  it('makes contiguous copies of strided views (clone uses ndarray-ops assign)', () => {
    const t = Tensor.from(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 4],
    );
    const view = t.transpose([2, 1, 0]);
    const copy = view.clone();
    expect(copy.isContiguous).toBe(true);
    expect(copy.data).not.toBe(t.data);
    expect(copy.toArray()).toEqual(view.toArray());
    expect(view.contiguous().get(3, 2, 1)).toBe(t.get(1, 2, 3));
  });

  it('refuses ndarrays whose storage is not float32, int32 or uint8', () => {
    expect(() => fromNdarray(ndarray(new Float64Array(4), [2, 2]))).toThrow(DTypeError);
    expect(() => fromNdarray(ndarray([1, 2, 3], [3]))).toThrow(/expected float32, int32 or uint8/);
  });
});
