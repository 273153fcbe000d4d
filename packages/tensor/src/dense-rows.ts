import { activeWasmKernels, type Backend } from './backend.js';
import { DTypeError, ShapeError, TypedlearnError, ValueError, describeValue } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';

/**
 * The rows of a dense row-major float32 matrix, kept where the kernels of the active backend
 * read them, for the row kernels an SVM needs: the dot products, or the squared distances, of one
 * query row with many rows (`K(q, x_t)` for every t of a kernel row).
 *
 * On `'wasm-simd'` the rows are copied once into the thread's WebAssembly memory and each call
 * runs a SIMD kernel (assembly/row-kernels.ts): float32 sums over 16 features at a time. On
 * `'js'` they are copied into a Float32Array and summed one feature at a time in float64, the
 * reference. The two agree to float32 rounding; each is deterministic (a value does not depend
 * on which other rows a call computes). The backend is the one active at construction.
 *
 * The rows are a snapshot: changing `x` afterwards does not change them. The copy in WebAssembly
 * memory is given back when the object is garbage-collected; nothing needs disposing by hand.
 * An object works in the thread that created it (it cannot be posted to a worker).
 */
export class DenseRows {
  /** The backend whose kernels this object runs. */
  readonly backend: Backend;
  private readonly js: Float32Array | undefined;
  private readonly wasm: WasmRows | undefined;

  /** Copies the `rows` x `cols` row-major matrix at the start of `x`. */
  constructor(
    x: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {
    if (!(x instanceof Float32Array)) {
      throw new DTypeError(`DenseRows: x must be a Float32Array, got ${describeValue(x)}`);
    }
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new ValueError(
        `DenseRows: rows and cols must be non-negative integers, got ${rows} x ${cols}`,
      );
    }
    if (x.length < rows * cols) {
      throw new ShapeError(
        `DenseRows: a ${rows} x ${cols} matrix needs ${rows * cols} elements, got ${x.length}`,
      );
    }
    const kernels = activeWasmKernels();
    this.backend = kernels === undefined ? 'js' : 'wasm-simd';
    if (kernels === undefined) this.js = x.slice(0, rows * cols);
    else this.wasm = new WasmRows(kernels, x, rows, cols);
  }

  /**
   * out[t] = query . x_{targets[t]} for t in [from, to) (row t itself when `targets` is not
   * given). `query` is a row index of this matrix or a Float32Array of `cols` values. Returns `out`.
   */
  rowDots<Out extends Float32Array | Float64Array>(
    query: number | Float32Array,
    out: Out,
    targets?: Int32Array,
    from = 0,
    to: number = targets?.length ?? this.rows,
  ): Out {
    return this.compute('rowDots', query, out, targets, from, to);
  }

  /** As {@link rowDots}, with out[t] = |query - x_{targets[t]}|^2, summed directly (no cancellation). */
  rowSquaredDistances<Out extends Float32Array | Float64Array>(
    query: number | Float32Array,
    out: Out,
    targets?: Int32Array,
    from = 0,
    to: number = targets?.length ?? this.rows,
  ): Out {
    return this.compute('rowSquaredDistances', query, out, targets, from, to);
  }

  private compute<Out extends Float32Array | Float64Array>(
    kind: RowKernel,
    query: number | Float32Array,
    out: Out,
    targets: Int32Array | undefined,
    from: number,
    to: number,
  ): Out {
    this.check(kind, query, out, targets, from, to);
    if (this.wasm !== undefined) this.wasm.compute(kind, query, out, targets, from, to);
    else rowsInJs(kind, this.js as Float32Array, this.cols, query, out, targets, from, to);
    return out;
  }

  private check(
    kind: RowKernel,
    query: number | Float32Array,
    out: Float32Array | Float64Array,
    targets: Int32Array | undefined,
    from: number,
    to: number,
  ): void {
    const { rows, cols } = this;
    if (typeof query === 'number') {
      if (!Number.isInteger(query) || query < 0 || query >= rows) {
        throw new ValueError(`${kind}: query row must be an integer in [0, ${rows}), got ${query}`);
      }
    } else if (!(query instanceof Float32Array) || query.length !== cols) {
      throw new ShapeError(
        `${kind}: query must be a row index or a Float32Array of ${cols} values, got ${describeValue(query)} of length ${(query as { length?: number }).length}`,
      );
    }
    const count = targets === undefined ? rows : targets.length;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from > to || to > count) {
      throw new ValueError(`${kind}: need 0 <= from <= to <= ${count}, got from ${from}, to ${to}`);
    }
    if (!(out instanceof Float32Array || out instanceof Float64Array) || out.length < to) {
      throw new ShapeError(
        `${kind}: out must be a Float32Array or Float64Array of at least ${to} elements, got ${describeValue(out)} of length ${(out as { length?: number }).length}`,
      );
    }
    if (targets !== undefined) {
      for (let t = from; t < to; t++) {
        const row = targets[t];
        if (row < 0 || row >= rows) {
          throw new ValueError(
            `${kind}: targets[${t}] = ${row} is not a row index in [0, ${rows})`,
          );
        }
      }
    }
  }
}

type RowKernel = 'rowDots' | 'rowSquaredDistances';

/** The `'js'` backend: float64 sums in feature order. */
function rowsInJs(
  kind: RowKernel,
  x: Float32Array,
  cols: number,
  query: number | Float32Array,
  out: Float32Array | Float64Array,
  targets: Int32Array | undefined,
  from: number,
  to: number,
): void {
  const q = typeof query === 'number' ? x.subarray(query * cols, (query + 1) * cols) : query;
  for (let t = from; t < to; t++) {
    const base = (targets === undefined ? t : targets[t]) * cols;
    let sum = 0;
    if (kind === 'rowDots') {
      for (let k = 0; k < cols; k++) sum += q[k] * x[base + k];
    } else {
      for (let k = 0; k < cols; k++) {
        const d = q[k] - x[base + k];
        sum += d * d;
      }
    }
    out[t] = sum;
  }
}

/** Byte ranges of WebAssembly memory to give back once their owner is collected. */
interface Lease {
  kernels: WasmKernels;
  ranges: [offset: number, bytes: number][];
}

const leases = new FinalizationRegistry<Lease>(({ kernels, ranges }) => {
  for (const [offset, bytes] of ranges) kernels.release(offset, bytes);
});

/** The `'wasm-simd'` side of a {@link DenseRows}: the matrix and scratch space in the memory. */
class WasmRows {
  private readonly matrix: number;
  private readonly queryAt: number;
  /** Room for `capacity` int32 target indices followed by `capacity` float32 results. */
  private scratch = -1;
  private capacity = 0;
  private readonly lease: Lease;

  constructor(
    private readonly kernels: WasmKernels,
    x: Float32Array,
    rows: number,
    private readonly cols: number,
  ) {
    this.lease = { kernels, ranges: [] };
    try {
      this.matrix = this.allocate(rows * cols * 4);
      this.queryAt = this.allocate(cols * 4);
    } catch (error) {
      for (const [offset, bytes] of this.lease.ranges) kernels.release(offset, bytes);
      throw error;
    }
    kernels.floats().set(x.subarray(0, rows * cols), this.matrix / 4);
    leases.register(this, this.lease);
  }

  compute(
    kind: RowKernel,
    query: number | Float32Array,
    out: Float32Array | Float64Array,
    targets: Int32Array | undefined,
    from: number,
    to: number,
  ): void {
    const count = to - from;
    if (count === 0) return;
    if (count > this.capacity) this.growScratch(count);
    const memory = this.kernels.floats();
    let queryAt = this.matrix + (typeof query === 'number' ? query * this.cols * 4 : 0);
    if (typeof query !== 'number') {
      memory.set(query, this.queryAt / 4);
      queryAt = this.queryAt;
    }
    if (targets !== undefined)
      this.kernels.int32s().set(targets.subarray(from, to), this.scratch / 4);
    const results = this.scratch + this.capacity * 4;
    this.kernels.exports[kind](this.matrix, this.cols, queryAt, targets !== undefined ? 1 : 0, this.scratch, from, count, results); // prettier-ignore
    const values = memory.subarray(results / 4, results / 4 + count);
    if (out instanceof Float32Array) out.set(values, from);
    else for (let t = 0; t < count; t++) out[from + t] = values[t];
  }

  private growScratch(count: number): void {
    if (this.scratch >= 0) {
      this.kernels.release(this.scratch, this.capacity * 8);
      this.lease.ranges = this.lease.ranges.filter(([offset]) => offset !== this.scratch);
      this.scratch = -1;
      this.capacity = 0;
    }
    const capacity = Math.max(count, 2 * this.capacity);
    this.scratch = this.allocate(capacity * 8);
    this.capacity = capacity;
  }

  /** `bytes` bytes of the memory, recorded in the lease; throws when the memory is full. */
  private allocate(bytes: number): number {
    const offset = this.kernels.allocate(bytes);
    if (offset < 0) {
      throw new TypedlearnError(
        `DenseRows: ${bytes} more bytes do not fit in the WebAssembly memory (at most 1 GiB); ` +
          `use setBackend('js') for matrices this large`,
      );
    }
    this.lease.ranges.push([offset, bytes]);
    return offset;
  }
}
