import { allocate, type DType, type StorageFor } from './dtype.js';
import { DTypeError, ValueError } from './errors.js';

/**
 * True when this platform can share memory between threads: Node always; a browser only when
 * the page is cross-origin isolated (COOP/COEP headers), which makes `SharedArrayBuffer` exist.
 */
export const sharedMemoryAvailable: boolean = typeof SharedArrayBuffer === 'function';

/**
 * Zero-filled storage for `length` elements of `dtype`, backed by a `SharedArrayBuffer` so
 * workers of a `WorkerPool` read and write it without copying. Falls back to an ordinary
 * `ArrayBuffer` where shared memory is unavailable (then workers receive copies).
 */
export function allocateShared<D extends DType>(dtype: D, length: number): StorageFor<D> {
  if (!Number.isInteger(length) || length < 0) {
    throw new ValueError(`allocateShared: length must be a non-negative integer, got ${length}`);
  }
  if (!sharedMemoryAvailable) return allocate(dtype, length);
  switch (dtype) {
    case 'float32':
      return new Float32Array(new SharedArrayBuffer(length * 4)) as StorageFor<D>;
    case 'int32':
      return new Int32Array(new SharedArrayBuffer(length * 4)) as StorageFor<D>;
    case 'uint8':
      return new Uint8Array(new SharedArrayBuffer(length)) as StorageFor<D>;
  }
  throw new DTypeError(
    `allocateShared: unknown dtype '${String(dtype)}': expected 'float32', 'int32' or 'uint8'`,
  );
}

/** True when `data` lives in shared memory (a `SharedArrayBuffer`). */
export function isShared(data: ArrayBufferView): boolean {
  return sharedMemoryAvailable && data.buffer instanceof SharedArrayBuffer;
}
