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
import { ownMemoryKernels, type SharedKernelsHandle, type WasmKernels } from './kernels.js';

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
 * shared, so worker threads can be handed them as they are. {@link KernelsArena.ownMemory}
 * makes an arena on an ordinary memory of its own instead, sized once, for one thread.
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
  private kernels: WasmKernels | undefined;
  private readonly ranges: [offset: number, bytes: number][] = [];

  constructor(private readonly fallback: Allocator) {
    const kernels = activeWasmKernels();
    this.kernels = kernels?.shared === true ? kernels : undefined;
  }

  /** An arena on `kernels` (whose memory must never detach its views), or on `fallback` alone. */
  private static on(fallback: Allocator, kernels: WasmKernels | undefined): KernelsArena {
    const arena = new KernelsArena(fallback);
    arena.kernels = kernels;
    return arena;
  }

  /**
   * An arena on a WebAssembly memory of its own, of at least `bytes` bytes, that never grows
   * (its arrays are ordinary ones) and is given back to the system once the arena and its
   * arrays are unreachable: for work that needs more room than a thread's kernels memory,
   * which never shrinks, should keep after it (an SVM solver's kernel cache, hundreds of MB).
   * On `'js'`, or where the engine refuses such a memory, every array comes from `fallback`,
   * as does one that no longer fits.
   */
  static ownMemory(bytes: number, fallback: Allocator): KernelsArena {
    if (!(Number.isInteger(bytes) && bytes >= 0)) {
      throw new ValueError(`KernelsArena.ownMemory: bytes must be a non-negative integer, got ${bytes}`); // prettier-ignore
    }
    const kernels = activeWasmKernels() === undefined ? undefined : ownMemoryKernels(bytes);
    return KernelsArena.on(fallback, kernels);
  }

  /** Another arena on the same memory and fallback; its {@link release} frees its own arrays only. */
  child(): KernelsArena {
    return KernelsArena.on(this.fallback, this.kernels);
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
    const offset = kernels === undefined || bytes === 0 ? -1 : kernels.allocateZeroed(bytes);
    if (kernels === undefined || offset < 0) return this.fallback(type as DType, length);
    this.ranges.push([offset, bytes]);
    return new Type(kernels.memory.buffer, offset, length);
  }) as Allocator;

  /**
   * `bytes` bytes of the kernels memory lent to a worker thread, as the handle it attaches with
   * (`attachKernels`): there, the kernels then work in place on this arena's arrays, and stage
   * what they need in the lent range. Undefined where the arena is not in a kernels memory (or
   * it is full): the worker's kernels then use their own memory. Given back by {@link release}.
   */
  lend(bytes: number): SharedKernelsHandle | undefined {
    const { kernels } = this;
    const offset = kernels === undefined ? -1 : kernels.allocate(bytes);
    if (kernels === undefined || offset < 0) return undefined;
    this.ranges.push([offset, bytes]);
    return { ...kernels.handle(), lent: { offset, bytes } };
  }

  /**
   * `value` (plain objects and arrays, down to typed arrays and primitives) with each typed
   * array that lives in this arena's kernels memory replaced by where it lives, to be posted to
   * a worker along with a handle from {@link lend}. There {@link viewsIn} makes them views of
   * the memory the worker attached to: a posted array's buffer arrives as another object than
   * the posted memory's, so its kernels would not know the array as theirs.
   */
  portable<T>(value: T): T {
    const { kernels } = this;
    if (kernels === undefined) return value;
    return mapArrays(value, (array) => {
      const offset = kernels.offsetOf(array);
      if (offset < 0) return array;
      const type = ELEMENT_TYPES.find((name) => array instanceof arrayType(name));
      return type === undefined
        ? array
        : { kernelsView: type, offset, length: array.byteLength / BYTES_PER_ELEMENT[type] };
    }) as T;
  }

  /** Gives every array's memory back: none of them may be used afterwards. */
  release(): void {
    for (const [offset, bytes] of this.ranges.splice(0)) this.kernels?.release(offset, bytes);
  }
}

/** Where a typed array of a {@link KernelsArena} lives, as {@link KernelsArena.portable} posts it. */
interface KernelsView {
  kernelsView: ElementType;
  offset: number;
  length: number;
}

const ELEMENT_TYPES = Object.keys(BYTES_PER_ELEMENT) as ElementType[];

/**
 * In a worker, `value` from {@link KernelsArena.portable} with each array it replaced made again,
 * as a view of the memory of `kernels` (from `attachKernels`), the memory the array lives in.
 */
export function viewsIn<T>(value: T, kernels: WasmKernels): T {
  return mapArrays(
    value,
    (array) => array,
    (view) => {
      const Type = arrayType(view.kernelsView) as unknown as new (
        buffer: ArrayBufferLike,
        byteOffset: number,
        length: number,
      ) => ArrayBufferView;
      return new Type(kernels.memory.buffer, view.offset, view.length);
    },
  ) as T;
}

/** A copy of `value` with `onArray` applied to its typed arrays and `onView` to its views. */
function mapArrays(
  value: unknown,
  onArray: (array: ArrayBufferView) => unknown,
  onView: (view: KernelsView) => unknown = (view) => view,
): unknown {
  if (ArrayBuffer.isView(value)) return onArray(value);
  if (Array.isArray(value)) return value.map((item) => mapArrays(item, onArray, onView));
  if (value === null || typeof value !== 'object') return value;
  if ('kernelsView' in value) return onView(value as KernelsView);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = mapArrays(item, onArray, onView);
  return out;
}
