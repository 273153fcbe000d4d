import ndarray, { type NdArray } from 'ndarray';
import type { Storage } from './dtype.js';

/**
 * What a strided view is made of: `element[i0, i1, ...] = data[offset + sum_d i_d * strides[d]]`.
 * A `Tensor` is one; this module asks only for the fields so that `tensor.ts` can use it
 * without an import cycle.
 */
export interface StridedView<S extends Storage> {
  readonly data: S;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * The same elements as a scijs `ndarray` sharing `view.data` (no copy): both libraries use the
 * same storage model, so this only re-labels it. `toNdarray` (ndarray.ts) is this for tensors;
 * `Tensor.clone` uses it to let `ndarray-ops` copy strided data.
 */
export function ndarrayView<S extends Storage>(view: StridedView<S>): NdArray<S> {
  return ndarray(view.data, [...view.shape], [...view.strides], view.offset);
}
