import { activeWasmKernels } from '../backend.js';
import {
  arrayType,
  BYTES_PER_ELEMENT,
  type Allocator,
  type ArrayFor,
  type DType,
  type ElementType,
} from '../dtype.js';
import { ValueError } from '../errors.js';
import type { WasmKernels } from './kernels.js';

/**
 * Typed arrays allocated inside this thread's WebAssembly kernels memory for the length of one
 * piece of work (a fit), then given back together by {@link release}.
 *
 * The kernels can only read and write their own memory, so an operand anywhere else is copied
 * in before each call and, when written, back out after it. A model's parameters, gradient and
 * optimiser moments, and its training rows in sparse form, are operands of every mini-batch:
 * allocated here, the kernels work on them in place (they find them with
 * {@link WasmKernels.offsetOf}), and the data is in WebAssembly memory once per fit instead of
 * being copied there on every call or kept there beside a JavaScript copy.
 *
 * Arrays come from the kernels memory only where it is shared (a `SharedArrayBuffer`, as in
 * Node and cross-origin isolated pages): growing a shared memory keeps earlier views valid,
 * whereas growing an ordinary one detaches them. Elsewhere, on the `js` backend, or when the
 * memory is full, `allocate` is the `fallback` allocator. Arrays from the shared memory are
 * shared, so worker threads can be handed them as they are.
 *
 * ```
 * const arena = new KernelsArena(allocatorFor(threaded));
 * try {
 *   const params = arena.allocate('float32', count);
 *   ... train ...
 *   return params.slice(); // what outlives the fit is copied out
 * } finally {
 *   arena.release();
 * }
 * ```
 */
export class KernelsArena {
  private readonly kernels: WasmKernels | undefined;
  private readonly ranges: [offset: number, bytes: number][] = [];

  constructor(private readonly fallback: Allocator) {
    const kernels = activeWasmKernels();
    this.kernels = kernels?.shared === true ? kernels : undefined;
  }

  /** Zero-filled storage for `length` elements of `type`, in the kernels memory when it can be. */
  readonly allocate = ((type: ElementType, length: number): ArrayFor<ElementType> => {
    const Type = arrayType(type) as unknown as new (
      buffer: ArrayBufferLike,
      byteOffset: number,
      length: number,
    ) => ArrayFor<ElementType>;
    if (!Number.isInteger(length) || length < 0) {
      throw new ValueError(`KernelsArena.allocate: length must be a non-negative integer, got ${length}`); // prettier-ignore
    }
    const { kernels } = this;
    const bytes = length * BYTES_PER_ELEMENT[type];
    const offset = kernels === undefined || bytes === 0 ? -1 : kernels.allocate(bytes);
    if (kernels === undefined || offset < 0) return this.fallback(type as DType, length);
    this.ranges.push([offset, bytes]);
    const array = new Type(kernels.memory.buffer, offset, length);
    array.fill(0);
    return array;
  }) as Allocator;

  /** Gives every array's memory back: none of them may be used afterwards. */
  release(): void {
    for (const [offset, bytes] of this.ranges.splice(0)) this.kernels?.release(offset, bytes);
  }
}
