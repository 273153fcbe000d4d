import { DTypeError } from './errors.js';

/** Element types a {@link Tensor} can hold, each backed by its own typed array. */
export type DType = 'float32' | 'int32' | 'uint8';

/** The typed array that stores elements of dtype `D`. */
export type StorageFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : Uint8Array;

/** Any typed array a tensor can be backed by. */
export type Storage = Float32Array | Int32Array | Uint8Array;

/** Allocates zero-filled storage for `length` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, length: number): StorageFor<D> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length) as StorageFor<D>;
    case 'int32':
      return new Int32Array(length) as StorageFor<D>;
    case 'uint8':
      return new Uint8Array(length) as StorageFor<D>;
  }
  throw new DTypeError(`unknown dtype '${String(dtype)}': expected 'float32', 'int32' or 'uint8'`);
}

/** The dtype of a typed array, or undefined when it is not one a tensor can use. */
export function dtypeOf(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}
