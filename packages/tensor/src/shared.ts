import {
  allocate,
  arrayType,
  BYTES_PER_ELEMENT,
  type Allocator,
  type ArrayFor,
  type DType,
  type ElementType,
  type StorageFor,
} from './dtype.js';
import { ValueError } from './errors.js';

/**
 * True when this platform can share memory between threads: Node always; a browser only when
 * the page is cross-origin isolated (COOP/COEP headers), which makes `SharedArrayBuffer` exist.
 */
export const sharedMemoryAvailable: boolean = typeof SharedArrayBuffer === 'function';

/**
 * Zero-filled storage for `length` elements of `type`, backed by a `SharedArrayBuffer` so
 * workers of a `WorkerPool` read and write it without copying. Falls back to an ordinary
 * `ArrayBuffer` where shared memory is unavailable (then workers receive copies).
 */
export function allocateShared<D extends DType>(type: D, length: number): StorageFor<D>;
export function allocateShared(type: 'float64', length: number): Float64Array;
export function allocateShared(type: 'uint16', length: number): Uint16Array;
export function allocateShared<E extends ElementType>(type: E, length: number): ArrayFor<E> {
  if (!Number.isInteger(length) || length < 0) {
    throw new ValueError(`allocateShared: length must be a non-negative integer, got ${length}`);
  }
  const Type = arrayType(type);
  if (!sharedMemoryAvailable) return new Type(length);
  return new Type(new SharedArrayBuffer(length * BYTES_PER_ELEMENT[type]));
}

/** {@link allocateShared} when `shared` (memory for worker threads), else plain {@link allocate}. */
export function allocatorFor(shared: boolean): Allocator {
  return shared ? allocateShared : allocate;
}

/** A copy of `data` in shared memory (where available), for worker threads to read. */
export function sharedCopy<
  A extends Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array,
>(data: A): A {
  const Type = data.constructor as new (buffer: ArrayBufferLike | number) => A;
  const out = sharedMemoryAvailable
    ? new Type(new SharedArrayBuffer(data.byteLength))
    : new Type(data.length);
  out.set(data as never);
  return out;
}

/** True when `data` lives in shared memory (a `SharedArrayBuffer`). */
export function isShared(data: ArrayBufferView): boolean {
  return sharedMemoryAvailable && data.buffer instanceof SharedArrayBuffer;
}
