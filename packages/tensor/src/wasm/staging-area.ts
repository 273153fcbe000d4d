import { TypedlearnError } from '../errors.js';
import type { WasmKernels } from './kernels.js';

/** `bytes` rounded up to whole 64-byte cache lines, as staged operands are laid out. */
export function wholeCacheLines(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/**
 * Scratch space in this thread's kernels memory that one kernel family copies its operands into
 * and its results out of: one range, kept from call to call, and replaced by one at least twice
 * as large when a call needs more, so that after the first calls of a size nothing is allocated.
 * Each family has its own area (the module that defines it holds it), and each thread its own
 * kernels memory, so no two calls share a range.
 */
export class StagingArea {
  /** Held weakly: an instance on a memory of its own must not be kept alive by its staging. */
  private range: { kernels: WeakRef<WasmKernels>; offset: number; bytes: number } | undefined;

  /** `owner` names the kernels in the error thrown when the memory is full. */
  constructor(private readonly owner: string) {}

  /**
   * The byte offset of at least `bytes` bytes in `kernels`' memory, valid until the next call.
   * Throws a `TypedlearnError` when they do not fit in the memory's 1 GiB.
   */
  reserve(kernels: WasmKernels, bytes: number): number {
    const range = this.range;
    const same = range?.kernels.deref() === kernels;
    if (same && range !== undefined && range.bytes >= bytes) return range.offset;
    let size = bytes;
    if (same && range !== undefined) {
      kernels.release(range.offset, range.bytes);
      size = Math.max(bytes, 2 * range.bytes);
    }
    this.range = undefined;
    const offset = kernels.allocate(size);
    if (offset < 0) {
      throw new TypedlearnError(
        `${this.owner}: ${size} more bytes do not fit in the WebAssembly memory (at most 1 GiB); ` +
          `work on fewer rows at a time, or use setBackend('js')`,
      );
    }
    this.range = { kernels: new WeakRef(kernels), offset, bytes: size };
    return offset;
  }
}
