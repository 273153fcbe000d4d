import { activeWasmKernels, type Backend } from './backend.js';
import { DTypeError, ShapeError, TypedlearnError, ValueError, describeValue } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';

/** How many query rows one {@link CsrBlockDots.blockDots} call takes. */
export type BlockWidth = 1 | 2 | 4 | 8;

const WIDTHS: readonly number[] = [1, 2, 4, 8];

/**
 * How a {@link CsrBlockDots} sums: `'float64'`, every product exact and each add rounded to
 * float64; `'float32'`, each product and each add rounded to float32 (half the vector work on
 * `'wasm-simd'`, and an error bound of about n * 2^-24 * sum |q_k x_k| for n non-zeros).
 */
export type DotPrecision = 'float32' | 'float64';

/**
 * The rows of a compressed-sparse-row (CSR) float32 matrix with at most 65,536 columns, kept
 * where the kernels of the active backend read them, for one product: the dot products of a
 * block of 1, 2, 4 or 8 dense query rows with many of its rows. That is what an SVM's kernel
 * rows K(q, x_t) need on sparse data such as MNIST's pixels (19% non-zero): each non-zero x_tk
 * of a target row is loaded once and multiplied by the `width` query values of column k.
 *
 * Both backends sum each dot product in float64, over the row's non-zeros in stored order, and
 * every product of two float32 values is exact in float64: the results are bit for bit the same
 * on `'js'` (one double at a time, the reference) and `'wasm-simd'` (f64x2 vectors,
 * assembly/csr-block-dots.ts), and do not depend on which other targets or queries a call covers.
 * {@link blockGaussian} turns them into RBF kernel values in the same pass; there the backends
 * agree to a few ulp (`'js'` calls Math.exp, `'wasm-simd'` has a vectorised exp of its own), and
 * each is still deterministic.
 *
 * With `{ precision: 'float32' }` each product and each partial sum is rounded to float32 (the
 * queries too): `'wasm-simd'` then adds four queries per f32x4 operation instead of two per f64x2,
 * and `'js'` gives the same bits with `Math.fround`. Use it where the kernel's values tolerate a
 * relative error of about n * 2^-24 for n non-zeros (see `SVC`'s precision guard).
 *
 * On `'wasm-simd'` the matrix is copied once into the thread's WebAssembly memory (given back
 * when this object is garbage-collected). The backend is the one active at construction; an
 * object works in the thread that created it. The matrix is a snapshot: later changes to the
 * arrays given are not seen.
 */
export class CsrBlockDots {
  /** The backend whose kernel this object runs. */
  readonly backend: Backend;
  /** |x_r|^2 of each row, summed in float64 over its non-zeros in stored order. */
  readonly squaredNorms: Float64Array;
  /** How the dot products are summed. */
  readonly precision: DotPrecision;
  private readonly js: JsCsr | undefined;
  private readonly wasm: WasmCsr | undefined;

  /**
   * @param rowStart Row r's non-zeros are [rowStart[r], rowStart[r + 1]) (rows + 1 values).
   * @param columns The column of each non-zero, < `cols`.
   * @param values The value of each non-zero.
   * @param options.precision How to sum (default `'float64'`).
   */
  constructor(
    rowStart: Int32Array,
    columns: Uint16Array,
    values: Float32Array,
    readonly rows: number,
    readonly cols: number,
    options: { precision?: DotPrecision } = {},
  ) {
    checkCsr(rowStart, columns, values, rows, cols);
    const precision = options.precision ?? 'float64';
    if (precision !== 'float32' && precision !== 'float64') {
      throw new ValueError(`CsrBlockDots: precision must be 'float32' or 'float64', got ${JSON.stringify(precision)}`); // prettier-ignore
    }
    this.precision = precision;
    const nonZeros = rowStart[rows];
    this.squaredNorms = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let q = rowStart[r]; q < rowStart[r + 1]; q++) sum += values[q] * values[q];
      this.squaredNorms[r] = sum;
    }
    const kernels = activeWasmKernels();
    this.backend = kernels === undefined ? 'js' : 'wasm-simd';
    if (kernels === undefined) {
      this.js = {
        rowStart: rowStart.slice(0, rows + 1),
        columns: columns.slice(0, nonZeros),
        values: values.slice(0, nonZeros),
      };
    } else {
      this.wasm = new WasmCsr(kernels, rowStart, columns, values, this.squaredNorms, cols, precision === 'float32'); // prettier-ignore
    }
  }

  /**
   * out[r * stride + t] = q_r . x_{targets[t]} for r < width and t in [from, to), where query r
   * is column r of `queries`, a dense [cols x width] matrix stored row-major
   * (`queries[k * width + r]` = q_r[k]). A plain `number[]` of doubles is the fastest queries
   * argument on `'js'` under V8. Nothing else of `out` is written.
   */
  blockDots(
    queries: readonly number[] | Float64Array,
    width: BlockWidth,
    targets: Int32Array,
    from: number,
    to: number,
    out: Float64Array,
    stride: number,
  ): void {
    this.check(queries, width, targets, from, to, out, stride);
    if (from === to) return;
    if (this.wasm !== undefined) {
      this.wasm.blockDots(queries, width, targets, from, to, out, stride, null, 0);
      return;
    }
    const csr = this.js as JsCsr;
    if (this.precision === 'float32')
      jsDotsSingle(csr, queries, width, targets, from, to, out, stride);
    else if (width === 1) jsDots1(csr, queries, targets, from, to, out);
    else if (width === 2) jsDots2(csr, queries, targets, from, to, out, stride);
    else if (width === 4) jsDots4(csr, queries, targets, from, to, out, stride);
    else jsDots8(csr, queries, targets, from, to, out, stride);
  }

  /**
   * As {@link blockDots}, then each value becomes the RBF kernel value
   * exp(-gamma * max(0, |q_r|^2 + |x_t|^2 - 2 q_r . x_t)), with |q_r|^2 = `queryNorms[r]` and
   * |x_t|^2 from {@link squaredNorms}. On `'wasm-simd'` below exp(-708) the result is 0.
   */
  blockGaussian(
    queries: readonly number[] | Float64Array,
    queryNorms: ArrayLike<number>,
    gamma: number,
    width: BlockWidth,
    targets: Int32Array,
    from: number,
    to: number,
    out: Float64Array,
    stride: number,
  ): void {
    this.check(queries, width, targets, from, to, out, stride);
    if (queryNorms.length < width) {
      throw new ShapeError(`blockGaussian: queryNorms must hold width = ${width} values, got ${queryNorms.length}`); // prettier-ignore
    }
    if (!(gamma >= 0) || gamma === Infinity) {
      throw new ValueError(`blockGaussian: gamma must be a finite number >= 0, got ${gamma}`);
    }
    if (from === to) return;
    if (this.wasm !== undefined) {
      this.wasm.blockDots(queries, width, targets, from, to, out, stride, queryNorms, gamma);
      return;
    }
    this.blockDots(queries, width, targets, from, to, out, stride);
    const norms = this.squaredNorms;
    for (let r = 0; r < width; r++) {
      const queryNorm = queryNorms[r];
      const base = r * stride;
      for (let t = from; t < to; t++) {
        const distance = queryNorm + norms[targets[t]] - 2 * out[base + t];
        out[base + t] = Math.exp(-gamma * (distance > 0 ? distance : 0));
      }
    }
  }

  private check(
    queries: readonly number[] | Float64Array,
    width: number,
    targets: Int32Array,
    from: number,
    to: number,
    out: Float64Array,
    stride: number,
  ): void {
    const { rows, cols } = this;
    if (!WIDTHS.includes(width)) {
      throw new ValueError(`blockDots: width must be 1, 2, 4 or 8, got ${width}`);
    }
    if (queries.length < cols * width) {
      throw new ShapeError(
        `blockDots: queries must hold cols * width = ${cols * width} values, got ${queries.length}`,
      );
    }
    if (!(targets instanceof Int32Array)) {
      throw new DTypeError(
        `blockDots: targets must be an Int32Array, got ${describeValue(targets)}`,
      );
    }
    if (
      !Number.isInteger(from) ||
      !Number.isInteger(to) ||
      from < 0 ||
      from > to ||
      to > targets.length
    ) {
      throw new ValueError(
        `blockDots: need 0 <= from <= to <= ${targets.length}, got from ${from}, to ${to}`,
      );
    }
    if (!Number.isInteger(stride) || (width > 1 && stride < to)) {
      throw new ValueError(`blockDots: stride must be an integer >= to = ${to}, got ${stride}`);
    }
    if (!(out instanceof Float64Array) || out.length < (width - 1) * stride + to) {
      throw new ShapeError(
        `blockDots: out must be a Float64Array of at least ${(width - 1) * stride + to} elements, got ${describeValue(out)}`,
      );
    }
    for (let t = from; t < to; t++) {
      const row = targets[t];
      if (row < 0 || row >= rows) {
        throw new ValueError(
          `blockDots: targets[${t}] = ${row} is not a row index in [0, ${rows})`,
        );
      }
    }
  }
}

function checkCsr(
  rowStart: Int32Array,
  columns: Uint16Array,
  values: Float32Array,
  rows: number,
  cols: number,
): void {
  if (!(rowStart instanceof Int32Array)) {
    throw new DTypeError(
      `CsrBlockDots: rowStart must be an Int32Array, got ${describeValue(rowStart)}`,
    );
  }
  if (!(columns instanceof Uint16Array)) {
    throw new DTypeError(
      `CsrBlockDots: columns must be a Uint16Array, got ${describeValue(columns)}`,
    );
  }
  if (!(values instanceof Float32Array)) {
    throw new DTypeError(
      `CsrBlockDots: values must be a Float32Array, got ${describeValue(values)}`,
    );
  }
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0 || cols > 65536) {
    throw new ValueError(
      `CsrBlockDots: need integer rows >= 0 and 0 <= cols <= 65536, got ${rows} x ${cols}`,
    );
  }
  if (rowStart.length < rows + 1 || rowStart[0] !== 0) {
    throw new ShapeError(
      `CsrBlockDots: rowStart must hold rows + 1 = ${rows + 1} offsets starting at 0, got ${rowStart.length}`,
    );
  }
  for (let r = 0; r < rows; r++) {
    if (rowStart[r + 1] < rowStart[r]) {
      throw new ValueError(
        `CsrBlockDots: rowStart must not decrease, but rowStart[${r + 1}] < rowStart[${r}]`,
      );
    }
  }
  const nonZeros = rowStart[rows];
  if (columns.length < nonZeros || values.length < nonZeros) {
    throw new ShapeError(
      `CsrBlockDots: rowStart says ${nonZeros} non-zeros, but columns has ${columns.length} and values ${values.length}`,
    );
  }
  for (let q = 0; q < nonZeros; q++) {
    if (columns[q] >= cols) {
      throw new ValueError(
        `CsrBlockDots: columns[${q}] = ${columns[q]} is not below cols = ${cols}`,
      );
    }
  }
}

/** The `'js'` backend's copy of the matrix. */
interface JsCsr {
  rowStart: Int32Array;
  columns: Uint16Array;
  values: Float32Array;
}

type Queries = readonly number[] | Float64Array;

function jsDots1(
  { rowStart, columns, values }: JsCsr,
  query: Queries,
  targets: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  for (let t = from; t < to; t++) {
    const row = targets[t];
    const end = rowStart[row + 1];
    let sum = 0;
    for (let q = rowStart[row]; q < end; q++) sum += query[columns[q]] * values[q];
    out[t] = sum;
  }
}

function jsDots2(
  { rowStart, columns, values }: JsCsr,
  queries: Queries,
  targets: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  stride: number,
): void {
  for (let t = from; t < to; t++) {
    const row = targets[t];
    const end = rowStart[row + 1];
    let s0 = 0;
    let s1 = 0;
    for (let q = rowStart[row]; q < end; q++) {
      const c = columns[q] * 2;
      const v = values[q];
      s0 += queries[c] * v;
      s1 += queries[c + 1] * v;
    }
    out[t] = s0;
    out[stride + t] = s1;
  }
}

function jsDots4(
  { rowStart, columns, values }: JsCsr,
  queries: Queries,
  targets: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  stride: number,
): void {
  for (let t = from; t < to; t++) {
    const row = targets[t];
    const end = rowStart[row + 1];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let q = rowStart[row]; q < end; q++) {
      const c = columns[q] * 4;
      const v = values[q];
      s0 += queries[c] * v;
      s1 += queries[c + 1] * v;
      s2 += queries[c + 2] * v;
      s3 += queries[c + 3] * v;
    }
    out[t] = s0;
    out[stride + t] = s1;
    out[2 * stride + t] = s2;
    out[3 * stride + t] = s3;
  }
}

function jsDots8(
  { rowStart, columns, values }: JsCsr,
  queries: Queries,
  targets: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  stride: number,
): void {
  for (let t = from; t < to; t++) {
    const row = targets[t];
    const end = rowStart[row + 1];
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let q = rowStart[row]; q < end; q++) {
      const c = columns[q] * 8;
      const v = values[q];
      s0 += queries[c] * v;
      s1 += queries[c + 1] * v;
      s2 += queries[c + 2] * v;
      s3 += queries[c + 3] * v;
      s4 += queries[c + 4] * v;
      s5 += queries[c + 5] * v;
      s6 += queries[c + 6] * v;
      s7 += queries[c + 7] * v;
    }
    out[t] = s0;
    out[stride + t] = s1;
    out[2 * stride + t] = s2;
    out[3 * stride + t] = s3;
    out[4 * stride + t] = s4;
    out[5 * stride + t] = s5;
    out[6 * stride + t] = s6;
    out[7 * stride + t] = s7;
  }
}

/**
 * The float32 sums, one query at a time: each product and each add rounded to float32, in the
 * order of the non-zeros, as the f32x4 lanes of assembly/csr-block-dots-f32.ts add them.
 */
function jsDotsSingle(
  { rowStart, columns, values }: JsCsr,
  queries: Queries,
  width: number,
  targets: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  stride: number,
): void {
  const fround = Math.fround;
  for (let r = 0; r < width; r++) {
    for (let t = from; t < to; t++) {
      const row = targets[t];
      const end = rowStart[row + 1];
      let sum = 0;
      for (let q = rowStart[row]; q < end; q++) {
        sum = fround(sum + fround(fround(queries[columns[q] * width + r]) * values[q]));
      }
      out[r * stride + t] = sum;
    }
  }
}

/**
 * Whether row r's non-zeros are exactly columns 0..cols-1 for every r: a dense matrix stored as
 * CSR, for which the kernel reads no column indices.
 */
function storesEveryColumn(
  rowStart: Int32Array,
  columns: Uint16Array,
  rows: number,
  cols: number,
): boolean {
  if (cols === 0 || rowStart[rows] !== rows * cols) return false;
  for (let r = 0; r < rows; r++) {
    const start = rowStart[r];
    if (start !== r * cols) return false;
    for (let k = 0; k < cols; k++) if (columns[start + k] !== k) return false;
  }
  return true;
}

/** Byte ranges of WebAssembly memory to give back once their owner is collected. */
interface Lease {
  kernels: WasmKernels;
  ranges: [offset: number, bytes: number][];
}

const leases = new FinalizationRegistry<Lease>(({ kernels, ranges }) => {
  for (const [offset, bytes] of ranges) kernels.release(offset, bytes);
});

/** The `'wasm-simd'` side: the matrix, the queries and scratch space in the memory. */
class WasmCsr {
  private readonly rowStart: number;
  private readonly columns: number;
  private readonly values: number;
  private readonly queries: number;
  private readonly norms: number;
  private readonly queryNorms: number;
  /** `cols` when every row stores all its columns in order (a dense matrix), else 0. */
  private readonly full: number;
  /** Room for `capacity` int32 targets, then 8 * `capacity` float64 results. */
  private scratch = -1;
  private capacity = 0;
  private readonly lease: Lease;
  private doubles: Float64Array;

  constructor(
    private readonly kernels: WasmKernels,
    rowStart: Int32Array,
    columns: Uint16Array,
    values: Float32Array,
    norms: Float64Array,
    private readonly cols: number,
    /** Float32 sums: the queries are stored as float32, 1, 4 or 8 wide. */
    private readonly single: boolean,
  ) {
    this.lease = { kernels, ranges: [] };
    const rows = norms.length;
    const nonZeros = rowStart[rows];
    this.full = storesEveryColumn(rowStart, columns, rows, cols) ? cols : 0;
    try {
      this.rowStart = this.allocate((rows + 1) * 4);
      this.columns = this.allocate(nonZeros * 2);
      this.values = this.allocate(nonZeros * 4);
      this.norms = this.allocate(rows * 8);
      this.queryNorms = this.allocate(8 * 8);
      this.queries = this.allocate(cols * 8 * 8);
    } catch (error) {
      for (const [offset, bytes] of this.lease.ranges) kernels.release(offset, bytes);
      throw error;
    }
    const buffer = kernels.memory.buffer;
    new Int32Array(buffer, this.rowStart, rows + 1).set(rowStart.subarray(0, rows + 1));
    new Uint16Array(buffer, this.columns, nonZeros).set(columns.subarray(0, nonZeros));
    new Float32Array(buffer, this.values, nonZeros).set(values.subarray(0, nonZeros));
    this.doubles = new Float64Array(buffer);
    this.doubles.set(norms, this.norms / 8);
    leases.register(this, this.lease);
  }

  blockDots(
    queries: Queries,
    width: number,
    targets: Int32Array,
    from: number,
    to: number,
    out: Float64Array,
    stride: number,
    queryNorms: ArrayLike<number> | null,
    gamma: number,
  ): void {
    const count = to - from;
    if (count > this.capacity) this.growScratch(count);
    const doubles = this.memoryDoubles();
    // Float32 sums run 1, 4 or 8 queries: a block of 2 gets two zero queries as padding.
    const lanes = this.single && width === 2 ? 4 : width;
    this.copyQueries(queries, width, lanes, doubles);
    if (queryNorms !== null) {
      const at = this.queryNorms / 8;
      for (let r = 0; r < lanes; r++) doubles[at + r] = r < width ? queryNorms[r] : 0;
    }
    this.kernels.int32s().set(targets.subarray(from, to), this.scratch / 4);
    const results = this.scratch + this.capacity * 4;
    const gaussian = queryNorms !== null ? 1 : 0;
    const single = this.single ? 1 : 0;
    this.kernels.exports.csrBlockDots(this.rowStart, this.columns, this.values, this.queries, lanes, this.scratch, count, results, gaussian, this.norms, this.queryNorms, gamma, this.full, single); // prettier-ignore
    for (let r = 0; r < width; r++) {
      const start = results / 8 + r * count;
      out.set(doubles.subarray(start, start + count), r * stride + from);
    }
  }

  /** The queries into the memory: float64 as given, or float32 interleaved `lanes` wide. */
  private copyQueries(queries: Queries, width: number, lanes: number, doubles: Float64Array): void {
    const n = this.cols * width;
    if (!this.single) {
      const at = this.queries / 8;
      if (queries instanceof Float64Array) doubles.set(queries.subarray(0, n), at);
      else for (let k = 0; k < n; k++) doubles[at + k] = queries[k];
      return;
    }
    const floats = this.kernels.floats();
    const at = this.queries / 4;
    if (lanes === width) {
      for (let k = 0; k < n; k++) floats[at + k] = queries[k];
      return;
    }
    floats.fill(0, at, at + this.cols * lanes);
    for (let k = 0; k < this.cols; k++) {
      for (let r = 0; r < width; r++) floats[at + k * lanes + r] = queries[k * width + r];
    }
  }

  private memoryDoubles(): Float64Array {
    const buffer = this.kernels.memory.buffer;
    if (this.doubles.buffer !== buffer) this.doubles = new Float64Array(buffer);
    return this.doubles;
  }

  private growScratch(count: number): void {
    if (this.scratch >= 0) {
      this.kernels.release(this.scratch, this.capacity * 68);
      this.lease.ranges = this.lease.ranges.filter(([offset]) => offset !== this.scratch);
      this.scratch = -1;
      this.capacity = 0;
    }
    // The results start 4 * capacity bytes in: keep them 8-byte aligned.
    const capacity = 2 * Math.ceil(Math.max(count, 2 * this.capacity) / 2);
    this.scratch = this.allocate(capacity * 68);
    this.capacity = capacity;
  }

  /** `bytes` bytes of the memory, recorded in the lease; throws when the memory is full. */
  private allocate(bytes: number): number {
    const offset = this.kernels.allocate(bytes);
    if (offset < 0) {
      throw new TypedlearnError(
        `CsrBlockDots: ${bytes} more bytes do not fit in the WebAssembly memory (at most 1 GiB); ` +
          `use setBackend('js') for matrices this large`,
      );
    }
    this.lease.ranges.push([offset, bytes]);
    return offset;
  }
}
