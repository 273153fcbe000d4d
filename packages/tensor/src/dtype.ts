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

/**
 * Element types of the typed arrays the library allocates: a tensor's {@link DType}s, float64
 * for the sums and parameters that algorithms keep in double precision, and uint16 for compact
 * indices.
 */
export type ElementType = DType | 'float64' | 'uint16';

/** The typed array that stores elements of type `E`. */
export type ArrayFor<E extends ElementType> = E extends DType
  ? StorageFor<E>
  : E extends 'float64'
    ? Float64Array
    : Uint16Array;

const ARRAY_TYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
} as const;

/** Bytes per element of each element type. */
export const BYTES_PER_ELEMENT: Readonly<Record<ElementType, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  uint8: 1,
  uint16: 2,
};

/** The constructor of `E`'s typed array; an unknown type is a {@link DTypeError}. */
export function arrayType<E extends ElementType>(
  type: E,
): new (buffer: ArrayBufferLike | number) => ArrayFor<E> {
  const Type = Object.hasOwn(ARRAY_TYPES, type) ? ARRAY_TYPES[type] : undefined;
  if (Type === undefined) {
    throw new DTypeError(
      `unknown dtype '${String(type)}': expected one of ${Object.keys(ARRAY_TYPES).join(', ')}`,
    );
  }
  return Type as unknown as new (buffer: ArrayBufferLike | number) => ArrayFor<E>;
}

/** Allocates zero-filled storage for `length` elements of `type`. */
export function allocate<D extends DType>(type: D, length: number): StorageFor<D>;
export function allocate(type: 'float64', length: number): Float64Array;
export function allocate(type: 'uint16', length: number): Uint16Array;
export function allocate<E extends ElementType>(type: E, length: number): ArrayFor<E> {
  return new (arrayType(type))(length);
}

/** A function that allocates zero-filled typed arrays: {@link allocate} or `allocateShared`. */
export type Allocator = typeof allocate;

/** The dtype of a typed array, or undefined when it is not one a tensor can use. */
export function dtypeOf(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'uint8';
  return undefined;
}
