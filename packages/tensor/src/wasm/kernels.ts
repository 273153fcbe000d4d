import { TypedlearnError } from '../errors.js';
import {
  KERNELS_MAXIMUM_PAGES,
  KERNELS_SIMD_BASE64,
  KERNELS_THREADS_BASE64,
} from './kernels-wasm.js';

/**
 * The WebAssembly kernels at run time: detecting SIMD, compiling the module (generated into
 * kernels-wasm.ts from assembly/ by scripts/build-wasm.ts), and the memory the kernels work in.
 *
 * Each thread that runs a kernel has its own instance, created on first use ({@link localKernels}).
 * Its memory is a `WebAssembly.Memory` that the TypeScript side creates and the module imports:
 * shared (backed by a `SharedArrayBuffer`, the "threads" variant of the module) wherever the
 * platform allows, so that `gemmParallel` can post it to pool workers, which then instantiate
 * the same module on that memory ({@link attachKernels}) and read data put there once by the
 * main thread; otherwise an ordinary memory (the "simd" variant). The memory only grows, up to
 * {@link MAXIMUM_BYTES}, and space in it is handed out and taken back by a small first-fit
 * allocator ({@link WasmKernels.allocate}), so buffers are reused from call to call: after the
 * first calls of a given size, nothing grows.
 */

/** The exports of the kernels module. Pointers are byte offsets into its memory. */
export interface KernelExports {
  /** C[4 x 8 at c, row stride ldc floats] += packed A sliver (4 x kc) * packed B sliver (kc x 8). */
  gemmMicroKernel(kc: number, a: number, b: number, c: number, ldc: number): void;
  /**
   * C (m x n at c, row stride ldc floats) += alpha op(A) B for a small GEMM: op(A)[i, p] at
   * a + 4 (i aRow + p aStep), B k rows of `width` floats at b (assembly/small-gemm.ts).
   */
  smallGemm(
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    aRow: number,
    aStep: number,
    b: number,
    width: number,
    c: number,
    ldc: number,
  ): void;
  /**
   * GEMM packing (assembly/gemm-pack.ts): staged rows that are steps p, each cut into runs of
   * `width` floats, run s to sliver s at step `first + p`, times `scale`.
   */
  packCut(
    src: number,
    steps: number,
    rowFloats: number,
    pieces: number,
    width: number,
    sliverFloats: number,
    first: number,
    scale: number,
    dst: number,
  ): void;
  /** z = z < 0 ? 0 : z over `count` float32s (assembly/relu-kernels.ts). */
  reluInPlace(z: number, count: number): void;
  /** delta = a <= 0 ? 0 : delta over `count` float32s. */
  reluBackward(a: number, delta: number, count: number): void;
  /** values = mask === 1 ? values * scale : 0 over `count` float32s (assembly/dropout-kernel.ts). */
  applyDropoutMask(values: number, mask: number, scale: number, count: number): void;
  /** p[i] = beta (A[i, from..] . v[from..]), i in [from, n), float64 (assembly/eigen-kernels.ts). */
  symmetricTimes(a: number, n: number, from: number, v: number, beta: number, p: number): void;
  /** A[i, j] -= v[i] w[j] + w[i] v[j] for i, j in [from, n). */
  symmetricRank2Update(a: number, n: number, from: number, v: number, w: number): void;
  /** Rows [from, n) of q times I - beta v v^T on columns [from, n); `sums`: n float64s of scratch. */
  reflectRows(q: number, n: number, from: number, v: number, beta: number, sums: number): void;
  /** Rotations i = last down to first of rows (i, i + 1) of z by (c[i], s[i]). */
  rotateRowPairs(z: number, n: number, first: number, last: number, c: number, s: number): void;
  /**
   * The fused softmax cross-entropy's gradient of float64 rows, and per row max - z_label and
   * the sum of exps into `stats` (assembly/softmax-cross-entropy.ts).
   */
  softmaxCrossEntropy64(
    logits: number,
    labels: number,
    rows: number,
    classes: number,
    scale: number,
    gradient: number,
    weights: number,
    weighted: number,
    stats: number,
  ): void;
  /** GEMM packing: `width` staged rows (lanes, `ld` floats apart) interleaved into one sliver. */
  packInterleaved(
    src: number,
    ld: number,
    steps: number,
    width: number,
    scale: number,
    dst: number,
  ): void;
  /**
   * out[t] = query . x_row for `count` rows of x (`cols` float32s each): rows targets[t] when
   * `indexed` is 1, else first + t. Results are float32s.
   */
  rowDots(
    x: number,
    cols: number,
    query: number,
    indexed: number,
    targets: number,
    first: number,
    count: number,
    out: number,
  ): void;
  /** As rowDots, with out[t] = |query - x_row|^2. */
  rowSquaredDistances(
    x: number,
    cols: number,
    query: number,
    indexed: number,
    targets: number,
    first: number,
    count: number,
    out: number,
  ): void;
  /**
   * C[r, :] += X[rowIds[r], :] B for r < count: X in CSR form (rowStart, columns, values),
   * `vectors` f32x4 vectors of each row of B and C, whose row strides are given in vectors
   * (assembly/sparse-kernels.ts).
   */
  csrTimesDense(
    rowStart: number,
    columns: number,
    values: number,
    rowIds: number,
    count: number,
    b: number,
    bStride: number,
    c: number,
    cStride: number,
    vectors: number,
  ): void;
  /**
   * C += X[rowIds, :]^T G, G `count` rows and C X's columns [from, to) (C at row `from`),
   * `vectors` vectors of each row.
   */
  csrTransposeTimesDense(
    rowStart: number,
    columns: number,
    values: number,
    rowIds: number,
    count: number,
    g: number,
    gStride: number,
    c: number,
    cStride: number,
    vectors: number,
    from: number,
    to: number,
  ): void;
  /**
   * A direct convolution of `images` padded NHWC images into [images * outHeight * outWidth,
   * filterStride] outputs, weights [kernel^2 * channels, filterStride], filterStride a multiple
   * of 8 (assembly/conv2d-kernel.ts).
   */
  conv2dNhwc(
    x: number,
    images: number,
    height: number,
    width: number,
    channels: number,
    kernel: number,
    stride: number,
    outHeight: number,
    outWidth: number,
    w: number,
    bias: number,
    filterStride: number,
    out: number,
  ): void;
  /** dw += the filter gradient of conv2dNhwc from dy, in the same layouts (assembly/conv2d-kernel.ts). */
  conv2dFilterGradient(
    x: number,
    images: number,
    height: number,
    width: number,
    channels: number,
    kernel: number,
    stride: number,
    outHeight: number,
    outWidth: number,
    dy: number,
    filterStride: number,
    dw: number,
  ): void;
  /** dx (padded, zeroed by the caller) += the input gradient of conv2dNhwc from dy, weights transposed [filters, kernel^2 * channels]. */
  conv2dInputGradient(
    dy: number,
    images: number,
    height: number,
    width: number,
    channels: number,
    kernel: number,
    stride: number,
    outHeight: number,
    outWidth: number,
    wt: number,
    filters: number,
    dx: number,
  ): void;
  /** Max pooling of NHWC images into out and the winners' indices (assembly/max-pool-kernel.ts). */
  maxPoolNhwc(
    x: number,
    images: number,
    height: number,
    width: number,
    channels: number,
    size: number,
    stride: number,
    outHeight: number,
    outWidth: number,
    out: number,
    winners: number,
  ): void;
  /**
   * SMO's gradient update (when `update` is 1) and argmax of sign_k g_k, with offers to a
   * runners-up list; out: index, value (assembly/smo-scans.ts).
   */
  smoGradientStep(
    g: number,
    sign: number,
    update: number,
    rowI: number,
    deltaI: number,
    rowJ: number,
    deltaJ: number,
    n: number,
    topScores: number,
    topIndices: number,
    topSize: number,
    out: number,
  ): void;
  /** WSS 2's second-order scan; out: index, least decrease, max sign_k g_k. */
  smoSecondOrderScan(
    g: number,
    sign: number,
    diagonal: number,
    rowI: number,
    n: number,
    gMax: number,
    qdI: number,
    twoYi: number,
    tau: number,
    topScores: number,
    topIndices: number,
    topSize: number,
    out: number,
  ): void;
  /** One Adam step over `count` float32s of w, g, m and v (assembly/adam-kernel.ts). */
  adamStep(
    w: number,
    g: number,
    m: number,
    v: number,
    count: number,
    beta1: number,
    beta2: number,
    stepSize: number,
    epsilon: number,
  ): void;
  /** As csrTimesDense, B and C float64 (f64x2 vectors). */
  csrTimesDense64(
    rowStart: number,
    columns: number,
    values: number,
    rowIds: number,
    count: number,
    b: number,
    bStride: number,
    c: number,
    cStride: number,
    vectors: number,
  ): void;
  /** As csrTransposeTimesDense, G and C float64 (f64x2 vectors). */
  csrTransposeTimesDense64(
    rowStart: number,
    columns: number,
    values: number,
    rowIds: number,
    count: number,
    g: number,
    gStride: number,
    c: number,
    cStride: number,
    vectors: number,
    from: number,
    to: number,
  ): void;
  /**
   * out[r * count + t] = q_r . X[targets[t], :] (float64) for the `width` (1, 2, 4, 8) queries
   * interleaved in `queries` (float64, q_r[k] at k * width + r): X in CSR form with uint16
   * columns; with `gaussian` 1, exp(-gamma |q_r - x_t|^2) from the squared norms `norms` (per
   * row) and `queryNorms` (per query), all float64 (assembly/csr-block-dots.ts). With `single`
   * 1 the sums are float32 and so are the queries (width 1, 4 or 8).
   */
  csrBlockDots(
    rowStart: number,
    columns: number,
    values: number,
    queries: number,
    width: number,
    targets: number,
    count: number,
    out: number,
    gaussian: number,
    norms: number,
    queryNorms: number,
    gamma: number,
    full: number,
    single: number,
  ): void;
}

/** 64 KiB, the unit WebAssembly memories grow by. */
const PAGE_BYTES = 65536;
/** The bound on any kernels memory: 1 GiB, the maximum the shared variant declares. */
export const MAXIMUM_BYTES = KERNELS_MAXIMUM_PAGES * PAGE_BYTES;
/** Every allocation starts on a cache line. */
const ALIGNMENT = 64;

/** What a worker needs to attach to another thread's shared kernels memory. */
export interface SharedKernelsHandle {
  /** Identifies the memory across threads (a posted Memory arrives as a new object). */
  readonly id: string;
  readonly memory: WebAssembly.Memory;
  /**
   * A range the owning thread lent to the worker, [offset, offset + bytes): all that the
   * worker's instance may {@link WasmKernels.allocate} from (kernels that stage operands need
   * room). Without it the worker's instance allocates nothing.
   */
  readonly lent?: { readonly offset: number; readonly bytes: number };
}

/** One instance of the kernels module and its memory. */
export class WasmKernels {
  readonly exports: KernelExports;
  /** Free ranges [start, end) in bytes, sorted by start, never adjacent. */
  private readonly free: { start: number; end: number }[] = [];
  private view: Float32Array;
  private intView: Int32Array;
  /**
   * Every buffer object this memory has had: a shared memory that grows gets a new one, and
   * views of the earlier ones stay valid.
   */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  /** False on another thread's memory: that thread owns it, and only it may grow it. */
  private readonly owner: boolean;

  /**
   * Bytes from here on have never been handed out by {@link allocate}: still the zeros every
   * new page holds (on another thread's memory, nothing is known to be).
   */
  private untouched: number;

  /**
   * @param lent On another thread's memory (a worker's instance), the range this instance may
   *   allocate from: null for none. Undefined: the memory is this instance's own.
   */
  constructor(
    readonly memory: WebAssembly.Memory,
    /** True when the memory is a SharedArrayBuffer that workers can attach to. */
    readonly shared: boolean,
    readonly id: string,
    module: WebAssembly.Module,
    instance?: WebAssembly.Instance,
    lent?: { readonly offset: number; readonly bytes: number } | null,
  ) {
    instance ??= new WebAssembly.Instance(module, { env: { memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.view = new Float32Array(memory.buffer);
    this.intView = new Int32Array(memory.buffer);
    this.owner = lent === undefined;
    this.untouched = this.owner ? 0 : Infinity;
    // Views made now stay this memory's after it grows (see offsetOf).
    if (shared) this.buffers.add(memory.buffer);
    if (lent === undefined) {
      if (this.view.byteLength > 0) this.free.push({ start: 0, end: this.view.byteLength });
    } else if (lent !== null && lent.bytes > 0) {
      this.free.push({ start: lent.offset, end: lent.offset + lent.bytes });
    }
  }

  /**
   * The memory as float32s. Growing the memory replaces its buffer, so call this again after
   * {@link allocate} rather than keeping the array.
   */
  floats(): Float32Array {
    if (this.view.byteLength !== this.memory.buffer.byteLength) {
      this.view = new Float32Array(this.memory.buffer);
    }
    return this.view;
  }

  /** The memory as int32s, on the same terms as {@link floats}. */
  int32s(): Int32Array {
    if (this.intView.byteLength !== this.memory.buffer.byteLength) {
      this.intView = new Int32Array(this.memory.buffer);
    }
    return this.intView;
  }

  /**
   * The byte offset of `array` in this memory when it is a view of it (as a `KernelsArena`
   * allocates, kernels-arena.ts), else -1: the kernels can then use it in place.
   */
  offsetOf(array: ArrayBufferView): number {
    const { buffer } = array;
    return buffer === this.memory.buffer || this.buffers.has(buffer) ? array.byteOffset : -1;
  }

  /** True when every array is a view of this memory: the kernels can use them all in place. */
  holds(...arrays: ArrayBufferView[]): boolean {
    for (const array of arrays) if (this.offsetOf(array) < 0) return false;
    return true;
  }

  /** The handle workers attach with (only for a shared memory). */
  handle(): SharedKernelsHandle {
    return { id: this.id, memory: this.memory };
  }

  /**
   * Reserves `bytes` bytes (rounded up to 64) and returns their byte offset, growing the memory
   * when no free range is large enough; -1 when that would pass {@link MAXIMUM_BYTES}. Only the
   * thread that created the memory grows it and allocates in it freely; an instance attached to
   * it from a worker allocates only in the range it was lent (-1 when that is full).
   */
  allocate(bytes: number): number {
    const size = Math.ceil(Math.max(bytes, 1) / ALIGNMENT) * ALIGNMENT;
    let index = this.free.findIndex((range) => range.end - range.start >= size);
    if (index < 0 && !this.owner) return -1;
    if (index < 0) {
      // Grow so that the last free range (if it ends the memory) or new pages hold `size`.
      const length = this.memory.buffer.byteLength;
      const last = this.free[this.free.length - 1];
      const start = last !== undefined && last.end === length ? last.start : length;
      const pages = Math.ceil((start + size - length) / PAGE_BYTES);
      if (length + pages * PAGE_BYTES > MAXIMUM_BYTES) return -1;
      try {
        if (this.shared) this.buffers.add(this.memory.buffer);
        this.memory.grow(pages);
      } catch {
        return -1; // the engine refused (address space or the memory's own maximum)
      }
      this.release(length, pages * PAGE_BYTES);
      index = this.free.length - 1;
    }
    const range = this.free[index];
    const start = range.start;
    range.start += size;
    if (range.start === range.end) this.free.splice(index, 1);
    if (start + size > this.untouched) this.untouched = start + size;
    return start;
  }

  /**
   * {@link allocate}, with the bytes zeroed: only those handed out before need it, as pages the
   * memory has not used yet are zero (and stay uncommitted until written).
   */
  allocateZeroed(bytes: number): number {
    const fresh = this.untouched;
    const start = this.allocate(bytes);
    if (start >= 0 && start < fresh) {
      new Uint8Array(this.memory.buffer, start, Math.min(start + bytes, fresh) - start).fill(0);
    }
    return start;
  }

  /** Returns `bytes` bytes at `start` (as given to and by {@link allocate}) to the free ranges. */
  release(start: number, bytes: number): void {
    const end = start + Math.ceil(Math.max(bytes, 1) / ALIGNMENT) * ALIGNMENT;
    let index = 0;
    while (index < this.free.length && this.free[index].start < start) index++;
    const before = this.free[index - 1];
    const after = this.free[index];
    if (before !== undefined && before.end === start) {
      before.end = end;
      if (after !== undefined && after.start === end) {
        before.end = after.end;
        this.free.splice(index, 1);
      }
    } else if (after !== undefined && after.start === end) {
      after.start = start;
    } else {
      this.free.splice(index, 0, { start, end });
    }
  }
}

/** A module with one function returning a v128 (i8x16.splat, i8x16.popcnt): valid only with SIMD. */
const SIMD_PROBE = Uint8Array.of(
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253,
  15, 253, 98, 11,
); // prettier-ignore

let simd: boolean | undefined;

/** True when this platform runs WebAssembly with the SIMD (128-bit vectors) extension. */
export function simdSupported(): boolean {
  simd ??= typeof WebAssembly === 'object' && safely(() => WebAssembly.validate(SIMD_PROBE));
  return simd;
}

let threads: boolean | undefined;

/**
 * True when kernels can run on a shared memory: SharedArrayBuffer exists (in browsers, only on
 * cross-origin isolated pages), the engine accepts the threads variant, and a shared
 * `WebAssembly.Memory` of the declared maximum can be reserved.
 */
export function sharedKernelsSupported(): boolean {
  threads ??=
    simdSupported() &&
    typeof SharedArrayBuffer === 'function' &&
    safely(() => {
      new WebAssembly.Memory({ initial: 0, maximum: KERNELS_MAXIMUM_PAGES, shared: true });
      return WebAssembly.validate(decodeBase64(KERNELS_THREADS_BASE64));
    });
  return threads;
}

function safely(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

/** The compiled module of each variant, once per thread. */
const compiled: { simd?: WebAssembly.Module; threads?: WebAssembly.Module } = {};

function variantOf(shared: boolean): 'simd' | 'threads' {
  return shared ? 'threads' : 'simd';
}

function compileSync(shared: boolean): WebAssembly.Module {
  const variant = variantOf(shared);
  compiled[variant] ??= new WebAssembly.Module(
    decodeBase64(shared ? KERNELS_THREADS_BASE64 : KERNELS_SIMD_BASE64),
  );
  return compiled[variant];
}

function newMemory(shared: boolean): WebAssembly.Memory {
  return shared
    ? new WebAssembly.Memory({ initial: 0, maximum: KERNELS_MAXIMUM_PAGES, shared: true })
    : new WebAssembly.Memory({ initial: 0, maximum: KERNELS_MAXIMUM_PAGES });
}

let local: WasmKernels | undefined;

/**
 * This thread's kernels, instantiated synchronously on first use (fine in Node and in workers;
 * a browser's main thread may refuse to compile synchronously, which {@link prepareKernels} avoids).
 * Throws when WebAssembly SIMD is unavailable.
 */
export function localKernels(): WasmKernels {
  if (local !== undefined) return local;
  if (!simdSupported()) {
    throw new TypedlearnError('WebAssembly SIMD is not available on this platform');
  }
  const shared = sharedKernelsSupported();
  local = new WasmKernels(newMemory(shared), shared, newId(), compileSync(shared));
  return local;
}

/**
 * Compiles and instantiates this thread's kernels asynchronously (what browsers want on their
 * main thread); later calls to {@link localKernels} return them at once.
 */
export async function prepareKernels(): Promise<void> {
  if (local !== undefined) return;
  if (!simdSupported()) {
    throw new TypedlearnError('WebAssembly SIMD is not available on this platform');
  }
  const shared = sharedKernelsSupported();
  const variant = variantOf(shared);
  const module = (compiled[variant] ??= await WebAssembly.compile(
    decodeBase64(shared ? KERNELS_THREADS_BASE64 : KERNELS_SIMD_BASE64),
  ));
  const memory = newMemory(shared);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  // Another call may have finished first; keep one instance per thread.
  local ??= new WasmKernels(memory, shared, newId(), module, instance);
}

/** The largest memory of its own {@link ownMemoryKernels} makes: 4 GiB less a page, wasm32's limit. */
const OWN_MAXIMUM_PAGES = 65535;

/** Instances on memories of their own, by their memory's buffer (which never changes). */
const ownMemories = new WeakMap<ArrayBufferLike, WasmKernels>();

/**
 * A new instance of the kernels (the "simd" variant) on an ordinary memory of its own of at
 * least `bytes` bytes, which never grows (so views of it stay valid) and goes back to the system
 * with the instance once neither is reachable, where a thread's own kernels memory never
 * shrinks. Undefined without SIMD, above 4 GiB, or when the engine refuses the memory.
 */
export function ownMemoryKernels(bytes: number): WasmKernels | undefined {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  if (!simdSupported() || pages > OWN_MAXIMUM_PAGES) return undefined;
  try {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const kernels = new WasmKernels(memory, false, newId(), compileSync(false));
    ownMemories.set(memory.buffer, kernels);
    return kernels;
  } catch {
    return undefined;
  }
}

/** The instance of {@link ownMemoryKernels} whose memory `array` is a view of, if any. */
export function ownMemoryOf(array: ArrayBufferView): WasmKernels | undefined {
  return ownMemories.get(array.buffer);
}

let attached: { kernels: WasmKernels; lent: SharedKernelsHandle['lent'] } | undefined;

/**
 * The kernels instantiated on another thread's shared memory (in a pool worker), once per
 * memory and lent range: the instance is kept until a task brings another. In the thread that
 * owns the memory this is simply its own instance.
 */
export function attachKernels(handle: SharedKernelsHandle): WasmKernels {
  if (local?.id === handle.id) return local;
  const lent = handle.lent;
  const same =
    attached?.kernels.id === handle.id &&
    attached.lent?.offset === lent?.offset &&
    attached.lent?.bytes === lent?.bytes;
  if (!same) {
    const kernels = new WasmKernels(handle.memory, true, handle.id, compileSync(true), undefined, lent ?? null); // prettier-ignore
    attached = { kernels, lent };
  }
  return (attached as { kernels: WasmKernels }).kernels;
}

/** The instance {@link attachKernels} last made in this thread, if any. */
export function attachedKernels(): WasmKernels | undefined {
  return attached?.kernels;
}

let counter = 0;

/** An identifier no other thread's memory has: random, plus a counter within this thread. */
function newId(): string {
  return `${Math.random().toString(36).slice(2)}-${counter++}`;
}

/** Base64 text to bytes, with `atob` (Node 16+ and every browser). */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
