import type { NdArray } from 'ndarray';
import { dtypeOf, type DType, type StorageFor } from './dtype.js';
import { DTypeError } from './errors.js';
import { ndarrayView } from './ndarray-view.js';
import { Tensor } from './tensor.js';

/**
 * Zero-copy interoperability with scijs `ndarray`. Both describe an array as
 * `data[offset + sum_d index[d] * stride[d]]`, so converting either way only re-labels the
 * same storage: writes through one are visible through the other. This lets typedlearn use
 * `ndarray-ops` and the rest of the scijs ecosystem for generic strided work.
 */

/** The same elements as an `ndarray` view sharing `t.data` (no copy). */
export function toNdarray<D extends DType>(t: Tensor<D>): NdArray<StorageFor<D>> {
  return ndarrayView(t);
}

/**
 * The same elements as a {@link Tensor} view sharing `array.data` (no copy). The data must be a
 * Float32Array, Int32Array or Uint8Array; other ndarray storage (plain arrays, Float64Array,
 * ...) throws a {@link DTypeError}.
 */
export function fromNdarray(array: NdArray): Tensor<DType> {
  const data = array.data;
  const dtype = dtypeOf(data);
  if (dtype === undefined) {
    throw new DTypeError(
      `fromNdarray: the ndarray's data is ${array.dtype}, expected float32, int32 or uint8 storage ` +
        '(convert it first, e.g. into a Float32Array)',
    );
  }
  return new Tensor(data as StorageFor<DType>, array.shape, array.stride, array.offset);
}
