import { activeWasmKernels, kernelsHolding } from './backend.js';
import { allocate, type Allocator } from './dtype.js';
import { DTypeError, ShapeError, TypedlearnError, ValueError, describeValue } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';
import { StagingArea } from './wasm/staging-area.js';

/**
 * A matrix in compressed sparse row (CSR) form, and the products of such a matrix with dense
 * ones that learning on mostly-zero data needs.
 *
 * Row i's nonzero values are `values[rowStart[i] .. rowStart[i + 1])`, in the columns
 * `columns[...]` (ascending). MNIST images are about 81% zero pixels, so a product with X in
 * this form touches a fifth of the numbers a dense product would.
 *
 * The products (each on a selection of rows, so that mini-batches need no copy of X):
 *
 * - {@link sparseDenseProduct}: C = beta C + X_rows op(B), op(B) = B or B^T (forward passes:
 *   the scores X W of softmax regression, the first layer X W1 of an MLP);
 * - {@link sparseTransposeDenseProduct}: C = beta C + X_rows^T G (their gradients).
 *
 * Both run on the active backend. `'js'` is the reference: float64 sums, whatever the operands.
 * `'wasm-simd'` (assembly/sparse-kernels.ts) sums in the operands' own type: float32 sums for
 * float32 B and C (f32x4 vectors), float64 sums for float64 ones (f64x2 vectors, the same
 * numbers as `'js'` up to the order of rounding); mixed types run the `'js'` kernel. Every output element is summed in
 * an order that depends only on the data (the nonzeros of a row in column order; for the
 * transpose, the selected rows in order), never on which other columns the call computes: a
 * caller may split the columns of B and C between threads (pass `b.subarray(c0)`,
 * `c.subarray(c0)` and n = c1 - c0) and gets the same numbers as one call over all of them.
 */
export class SparseRows {
  /**
   * Wraps existing CSR arrays (e.g. shared ones received by a worker thread), unchecked. The
   * arrays must not change afterwards: the `'wasm-simd'` products keep a copy of them.
   */
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly rowStart: Int32Array,
    readonly columns: Int32Array,
    readonly values: Float32Array,
  ) {}

  /**
   * The nonzeros of the row-major `rows` x `cols` matrix `data`, in arrays made by
   * `allocator` (plain memory by default; `allocateShared` for worker threads). `nonzeros`
   * saves counting them again when the caller has (it must be {@link countNonzeros}'s count).
   */
  static fromDense(
    data: Float32Array,
    rows: number,
    cols: number,
    allocator: Allocator = allocate,
    nonzeros = countNonzeros(data, rows * cols),
  ): SparseRows {
    const rowStart = allocator('int32', rows + 1);
    const columns = allocator('int32', nonzeros);
    const values = allocator('float32', nonzeros);
    fillSparseRows(data, rows, cols, rowStart, columns, values);
    return new SparseRows(rows, cols, rowStart, columns, values);
  }

  /** The number of stored (nonzero) values. */
  get nonzeros(): number {
    return this.rowStart[this.rows];
  }
}

/** The number of nonzero values among the first `size` of `data` (all of it by default). */
export function countNonzeros(data: Float32Array, size = data.length): number {
  let count = 0;
  for (let i = 0; i < size; i++) if (data[i] !== 0) count++;
  return count;
}

/**
 * The nonzeros of the row-major `rows` x `cols` matrix `data` as compressed sparse rows, into
 * arrays long enough (`rows + 1` row starts, {@link countNonzeros} columns and values): what
 * {@link SparseRows.fromDense} allocates, or arrays kept from an earlier call.
 */
export function fillSparseRows(
  data: Float32Array,
  rows: number,
  cols: number,
  rowStart: Int32Array,
  columns: Int32Array,
  values: Float32Array,
): void {
  let at = 0;
  for (let i = 0; i < rows; i++) {
    rowStart[i] = at;
    const offset = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[offset + j];
      if (v !== 0) {
        columns[at] = j;
        values[at] = v;
        at++;
      }
    }
  }
  rowStart[rows] = at;
}

/** A dense operand: float32 or float64 (both operands of a call of one type for the WebAssembly kernels). */
export type DenseMatrix = Float32Array | Float64Array;

/**
 * C = beta * C + X_sel op(B), where X_sel is `count` selected rows of `x` — row r is
 * `rowList[first + r]`, or `first + r` when `rowList` is null — and op(B) is the x.cols x n
 * matrix B (row stride ldb), or B^T when `transB` (B stored n x x.cols). C is count x n with row
 * stride ldc. When beta is 0, C is not read. See {@link SparseRows} for the backends and the
 * order of the sums.
 */
export function sparseDenseProduct(
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
  transB: boolean,
  n: number,
  b: DenseMatrix,
  ldb: number,
  beta: number,
  c: DenseMatrix,
  ldc: number,
): void {
  const who = 'sparseDenseProduct';
  checkSelection(who, x, rowList, first, count);
  checkDense(who, 'B', b, transB ? n : x.cols, transB ? x.cols : n, ldb);
  checkDense(who, 'C', c, count, n, ldc);
  if (count === 0 || n === 0) return;
  const kernels = sameType(b, c) ? kernelsFor(x) : undefined;
  if (kernels === undefined) sparseTimesDenseJs(x, rowList, first, count, transB, n, b, ldb, beta, c, ldc); // prettier-ignore
  else sparseTimesDenseWasm(kernels, x, rowList, first, count, transB, n, b, ldb, beta, c, ldc); // prettier-ignore
}

/**
 * C = beta * C + X_sel^T G, where X_sel is the `count` selected rows of `x` (as in
 * {@link sparseDenseProduct}), G is count x n (row stride ldg; row r goes with selected row r)
 * and C is x.cols x n (row stride ldc). When beta is 0, C is not read. Only C's rows (X's
 * columns) [from, to) are computed and written, so threads can share a product by rows of C,
 * each its own block of memory: every element is the same sum whatever the range.
 */
export function sparseTransposeDenseProduct(
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
  n: number,
  g: DenseMatrix,
  ldg: number,
  beta: number,
  c: DenseMatrix,
  ldc: number,
  from = 0,
  to = x.cols,
): void {
  const who = 'sparseTransposeDenseProduct';
  checkSelection(who, x, rowList, first, count);
  checkDense(who, 'G', g, count, n, ldg);
  checkDense(who, 'C', c, x.cols, n, ldc);
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from > to || to > x.cols) {
    throw new ValueError(`${who}: need integers 0 <= from <= to <= ${x.cols} (C's rows), got ${from} and ${to}`); // prettier-ignore
  }
  if (n === 0 || from === to) return;
  const kernels = sameType(g, c) ? kernelsFor(x) : undefined;
  if (kernels === undefined) sparseTransposeTimesDenseJs(x, rowList, first, count, n, g, ldg, beta, c, ldc, from, to); // prettier-ignore
  else sparseTransposeTimesDenseWasm(kernels, x, rowList, first, count, n, g, ldg, beta, c, ldc, from, to); // prettier-ignore
}

// ---------------------------------------------------------------------------------------------
// The 'js' backend: float64 sums, the reference. Both kernels combine four nonzeros per pass
// over a row of float64 sums, ((x0 b0 + x1 b1) + (x2 b2 + x3 b3)) added to the running sum,
// which loads and stores each sum a quarter as often as one nonzero at a time.

/** Float64 accumulators, grown as needed and reused by every call on this thread. */
let sums = new Float64Array(0);

function sumsOf(length: number): Float64Array {
  if (sums.length < length) sums = new Float64Array(Math.max(length, 2 * sums.length));
  return sums;
}

function sparseTimesDenseJs(
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
  transB: boolean,
  n: number,
  b: DenseMatrix,
  ldb: number,
  beta: number,
  c: DenseMatrix,
  ldc: number,
): void {
  const { rowStart, columns, values } = x;
  const acc = sumsOf(n);
  // op(B)[j, u] lives at b[j * rowStep + u * colStep].
  const rowStep = transB ? 1 : ldb;
  const colStep = transB ? ldb : 1;
  for (let r = 0; r < count; r++) {
    const i = rowList === null ? first + r : rowList[first + r];
    acc.fill(0, 0, n);
    const end = rowStart[i + 1];
    let q = rowStart[i];
    for (; q + 4 <= end; q += 4) {
      const v0 = values[q], v1 = values[q + 1], v2 = values[q + 2], v3 = values[q + 3]; // prettier-ignore
      const r0 = columns[q] * rowStep, r1 = columns[q + 1] * rowStep; // prettier-ignore
      const r2 = columns[q + 2] * rowStep, r3 = columns[q + 3] * rowStep; // prettier-ignore
      if (colStep === 1) {
        for (let u = 0; u < n; u++) {
          acc[u] += v0 * b[r0 + u] + v1 * b[r1 + u] + (v2 * b[r2 + u] + v3 * b[r3 + u]);
        }
      } else {
        for (let u = 0, at = 0; u < n; u++, at += colStep) {
          acc[u] += v0 * b[r0 + at] + v1 * b[r1 + at] + (v2 * b[r2 + at] + v3 * b[r3 + at]);
        }
      }
    }
    for (; q < end; q++) {
      const v = values[q];
      const row = columns[q] * rowStep;
      for (let u = 0; u < n; u++) acc[u] += v * b[row + u * colStep];
    }
    const out = r * ldc;
    for (let u = 0; u < n; u++) {
      c[out + u] = beta === 0 ? acc[u] : beta * c[out + u] + acc[u];
    }
  }
}

/** The selected rows' nonzeros by column (a counting sort), grown as needed and reused. */
let columnStart = new Int32Array(0);
let entryRow = new Int32Array(0);
let entryValue = new Float32Array(0);

/**
 * X_sel^T G one row of C at a time: the selected rows' nonzeros are sorted by column (within a
 * column, in selection order), then row j of C sums x_rj G[r, :] over column j's entries.
 */
function sparseTransposeTimesDenseJs(
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
  n: number,
  g: DenseMatrix,
  ldg: number,
  beta: number,
  c: DenseMatrix,
  ldc: number,
  from: number,
  to: number,
): void {
  const { rowStart, columns, values, cols } = x;
  let entries = 0;
  for (let r = 0; r < count; r++) {
    const i = rowList === null ? first + r : rowList[first + r];
    entries += rowStart[i + 1] - rowStart[i];
  }
  if (columnStart.length < cols + 1) columnStart = new Int32Array(cols + 1);
  if (entryRow.length < entries) {
    entryRow = new Int32Array(entries);
    entryValue = new Float32Array(entries);
  }
  columnStart.fill(0, 0, cols + 1);
  for (let r = 0; r < count; r++) {
    const i = rowList === null ? first + r : rowList[first + r];
    for (let q = rowStart[i]; q < rowStart[i + 1]; q++) columnStart[columns[q] + 1]++;
  }
  for (let j = 0; j < cols; j++) columnStart[j + 1] += columnStart[j];
  for (let r = 0; r < count; r++) {
    const i = rowList === null ? first + r : rowList[first + r];
    for (let q = rowStart[i]; q < rowStart[i + 1]; q++) {
      const at = columnStart[columns[q]]++;
      entryRow[at] = r * ldg;
      entryValue[at] = values[q];
    }
  }
  // The fill advanced each start to the next column's: shift back.
  for (let j = cols; j > 0; j--) columnStart[j] = columnStart[j - 1];
  columnStart[0] = 0;

  const acc = sumsOf(n);
  for (let j = from; j < to; j++) {
    acc.fill(0, 0, n);
    const end = columnStart[j + 1];
    let e = columnStart[j];
    for (; e + 4 <= end; e += 4) {
      const v0 = entryValue[e], v1 = entryValue[e + 1], v2 = entryValue[e + 2], v3 = entryValue[e + 3]; // prettier-ignore
      const g0 = entryRow[e], g1 = entryRow[e + 1], g2 = entryRow[e + 2], g3 = entryRow[e + 3]; // prettier-ignore
      for (let u = 0; u < n; u++) {
        acc[u] += v0 * g[g0 + u] + v1 * g[g1 + u] + (v2 * g[g2 + u] + v3 * g[g3 + u]);
      }
    }
    for (; e < end; e++) {
      const v = entryValue[e];
      const row = entryRow[e];
      for (let u = 0; u < n; u++) acc[u] += v * g[row + u];
    }
    const out = j * ldc;
    for (let u = 0; u < n; u++) {
      c[out + u] = beta === 0 ? acc[u] : beta * c[out + u] + acc[u];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The 'wasm-simd' backend. X is copied once into this thread's kernels memory (kept until the
// SparseRows object is garbage-collected); each call then copies the dense operands into a
// staging area there, with rows padded to whole f32x4 vectors (zeros in the padding), runs the
// kernel and copies C back. Arrays a `KernelsArena` allocated in the kernels memory are used
// where they are instead: X's three arrays, and a dense operand whose rows are already whole
// vectors, one after another (row stride = width).

/** A range of WebAssembly memory holding a copy of a SparseRows, given back once. */
interface Lease {
  kernels: WasmKernels;
  offset: number;
  bytes: number;
  released: boolean;
}

function giveBack(lease: Lease): void {
  if (lease.released) return;
  lease.released = true;
  lease.kernels.release(lease.offset, lease.bytes);
  const at = recent.findIndex((entry) => entry.lease === lease);
  if (at >= 0) recent.splice(at, 1);
}

/** Copies are given back when their SparseRows is garbage-collected... */
const leases = new FinalizationRegistry<Lease>(giveBack);

/**
 * ...or, sooner, when this thread has copied more than {@link MAX_RESIDENT} other matrices
 * since (the oldest goes first; used again, it is copied again). WebAssembly memory is not
 * JavaScript heap, so the collector alone might let copies of matrices that are no longer used
 * pile up, e.g. one per `predict` call.
 */
const MAX_RESIDENT = 4;
const recent: { owner: WeakRef<SparseRows>; lease: Lease }[] = [];

/** Where a SparseRows' copy lives in a kernels memory: byte offsets of its three arrays. */
interface Resident {
  lease: Lease;
  rowStart: number;
  columns: number;
  values: number;
}

/** Where a SparseRows allocated in the kernels memory (by a `KernelsArena`) already is. */
type InPlace = Omit<Resident, 'lease'>;

/** This thread's copies of the matrices it has multiplied. */
const residents = new WeakMap<SparseRows, Resident>();

function residentOf(kernels: WasmKernels, x: SparseRows): Resident | InPlace {
  if (kernels.holds(x.rowStart, x.columns, x.values)) {
    const { rowStart, columns, values } = x;
    return { rowStart: kernels.offsetOf(rowStart), columns: kernels.offsetOf(columns), values: kernels.offsetOf(values) }; // prettier-ignore
  }
  const known = residents.get(x);
  if (known !== undefined && known.lease.kernels === kernels && !known.lease.released) {
    return known;
  }
  while (recent.length >= MAX_RESIDENT) {
    const oldest = recent[0];
    leases.unregister(oldest.lease);
    const owner = oldest.owner.deref();
    if (owner !== undefined) residents.delete(owner);
    giveBack(oldest.lease);
  }
  const nonzeros = x.nonzeros;
  const rowStartBytes = roundUp((x.rows + 1) * 4, 64);
  const entryBytes = roundUp(nonzeros * 4, 64);
  const bytes = rowStartBytes + 2 * entryBytes;
  const offset = kernels.allocate(bytes);
  if (offset < 0) throw memoryFull(bytes);
  const lease: Lease = { kernels, offset, bytes, released: false };
  leases.register(x, lease, lease);
  recent.push({ owner: new WeakRef(x), lease });
  const resident = {
    lease,
    rowStart: offset,
    columns: offset + rowStartBytes,
    values: offset + rowStartBytes + entryBytes,
  };
  const ints = kernels.int32s();
  ints.set(x.rowStart.subarray(0, x.rows + 1), resident.rowStart / 4);
  ints.set(x.columns.subarray(0, nonzeros), resident.columns / 4);
  kernels.floats().set(x.values.subarray(0, nonzeros), resident.values / 4);
  residents.set(x, resident);
  return resident;
}

/**
 * The kernels a product with `x` runs on: those whose memory holds x (in a pool worker, those
 * attached to the memory of the thread that lent it), else this thread's own; undefined on 'js'.
 */
function kernelsFor(x: SparseRows): WasmKernels | undefined {
  return kernelsHolding(x.rowStart, x.columns, x.values) ?? activeWasmKernels();
}

/** Where this thread's sparse products stage their dense operands. */
const staging = new StagingArea('sparse products');

function memoryFull(bytes: number): TypedlearnError {
  return new TypedlearnError(
    `sparse products: ${bytes} more bytes do not fit in the WebAssembly memory (at most 1 GiB); ` +
      `use setBackend('js') for matrices this large`,
  );
}

/**
 * Lays out the staging area: `count` row ids, then blocks of the given numbers of elements of
 * `elementBytes` bytes each, every one 64-byte aligned; returns their byte offsets.
 */
function stage(
  kernels: WasmKernels,
  count: number,
  elementBytes: number,
  ...sizes: number[]
): number[] {
  const offsets: number[] = [];
  let bytes = roundUp(count * 4, 64);
  for (const size of sizes) {
    offsets.push(bytes);
    bytes += roundUp(size * elementBytes, 64);
  }
  const base = staging.reserve(kernels, bytes);
  return [base, ...offsets.map((offset) => base + offset)];
}

/** Writes the selected row indices at byte `at`. */
function writeRowIds(
  kernels: WasmKernels,
  at: number,
  rowList: Int32Array | null,
  first: number,
  count: number,
): void {
  const ints = kernels.int32s();
  const start = at / 4;
  if (rowList !== null) ints.set(rowList.subarray(first, first + count), start);
  else for (let r = 0; r < count; r++) ints[start + r] = first + r;
}

/** Whether the two operands have the same element type (what the WebAssembly kernels need). */
function sameType(a: DenseMatrix, b: DenseMatrix): boolean {
  return a instanceof Float32Array ? b instanceof Float32Array : b instanceof Float64Array;
}

/** The kernels memory as elements of `like`'s type (float32 or float64), for the current buffer. */
function memoryLike(kernels: WasmKernels, like: DenseMatrix): DenseMatrix {
  if (like instanceof Float32Array) return kernels.floats();
  const buffer = kernels.memory.buffer;
  if (doubles?.buffer !== buffer) doubles = new Float64Array(buffer);
  return doubles;
}

let doubles: Float64Array | undefined;

/**
 * Copies the rows x n matrix `source` (row stride ld; transposed when `trans`: stored n x rows)
 * to element `at` of `memory` as rows of `width` elements, zeros in the padding, times `scale`.
 */
function copyIn(
  source: DenseMatrix,
  trans: boolean,
  rows: number,
  n: number,
  ld: number,
  scale: number,
  memory: DenseMatrix,
  at: number,
  width: number,
): void {
  if (trans) {
    for (let j = 0; j < rows; j++) {
      const row = at + j * width;
      for (let u = 0; u < n; u++) memory[row + u] = source[u * ld + j];
      if (width > n) memory.fill(0, row + n, row + width);
    }
  } else if (ld === n && width === n) {
    memory.set(source.subarray(0, rows * n), at);
  } else {
    for (let i = 0; i < rows; i++) {
      memory.set(source.subarray(i * ld, i * ld + n), at + i * width);
      if (width > n) memory.fill(0, at + i * width + n, at + (i + 1) * width);
    }
  }
  if (scale !== 1) {
    for (let i = at; i < at + rows * width; i++) memory[i] *= scale;
  }
}

/** Copies rows x n elements at `at` of `memory` (rows of `width`) into C (row stride ldc). */
function copyOut(
  memory: DenseMatrix,
  at: number,
  width: number,
  rows: number,
  n: number,
  c: DenseMatrix,
  ldc: number,
): void {
  if (ldc === n && width === n) {
    c.set(memory.subarray(at, at + rows * n));
    return;
  }
  for (let i = 0; i < rows; i++) {
    c.set(memory.subarray(at + i * width, at + i * width + n), i * ldc);
  }
}

function sparseTimesDenseWasm(
  kernels: WasmKernels,
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
  transB: boolean,
  n: number,
  b: DenseMatrix,
  ldb: number,
  beta: number,
  c: DenseMatrix,
  ldc: number,
): void {
  const resident = residentOf(kernels, x);
  const bytes = c.BYTES_PER_ELEMENT;
  const width = roundUp(n, 16 / bytes); // whole 16-byte vectors
  const bIn = transB ? -1 : inPlace(kernels, b, n, ldb, width);
  const cIn = inPlace(kernels, c, n, ldc, width);
  const [rowIds, bStaged, cStaged] = stage(kernels, count, bytes, bIn < 0 ? x.cols * width : 0, cIn < 0 ? count * width : 0); // prettier-ignore
  writeRowIds(kernels, rowIds, rowList, first, count);
  const memory = memoryLike(kernels, c);
  const bAt = bIn >= 0 ? bIn : bStaged;
  if (bIn < 0) copyIn(b, transB, x.cols, n, ldb, 1, memory, bAt / bytes, width);
  const cAt = cIn >= 0 ? cIn : cStaged;
  const cStride = cIn >= 0 ? ldc : width;
  if (beta === 0) scaleRows(memory, cAt / bytes, count, width, cStride, 0);
  else if (cIn < 0) copyIn(c, false, count, n, ldc, beta, memory, cAt / bytes, width);
  else if (beta !== 1) scaleRows(memory, cAt / bytes, count, width, cStride, beta);
  const kernel = bytes === 4 ? kernels.exports.csrTimesDense : kernels.exports.csrTimesDense64;
  const vectors = (bytes: number) => bytes / 16;
  kernel(resident.rowStart, resident.columns, resident.values, rowIds, count, bAt, vectors((bIn >= 0 ? ldb : width) * bytes), cAt, vectors(cStride * bytes), vectors(width * bytes)); // prettier-ignore
  if (cIn < 0) copyOut(memory, cAt / bytes, width, count, n, c, ldc);
}

function sparseTransposeTimesDenseWasm(
  kernels: WasmKernels,
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
  n: number,
  g: DenseMatrix,
  ldg: number,
  beta: number,
  c: DenseMatrix,
  ldc: number,
  from: number,
  to: number,
): void {
  const resident = residentOf(kernels, x);
  const bytes = c.BYTES_PER_ELEMENT;
  const width = roundUp(n, 16 / bytes);
  const rows = to - from;
  const cRows = c.subarray(from * ldc);
  const gIn = inPlace(kernels, g, n, ldg, width);
  const cIn = inPlace(kernels, cRows, n, ldc, width);
  const [rowIds, gStaged, cStaged] = stage(kernels, count, bytes, gIn < 0 ? count * width : 0, cIn < 0 ? rows * width : 0); // prettier-ignore
  writeRowIds(kernels, rowIds, rowList, first, count);
  const memory = memoryLike(kernels, c);
  const gAt = gIn >= 0 ? gIn : gStaged;
  if (gIn < 0) copyIn(g, false, count, n, ldg, 1, memory, gAt / bytes, width);
  const cAt = cIn >= 0 ? cIn : cStaged;
  const cStride = cIn >= 0 ? ldc : width;
  if (beta === 0) scaleRows(memory, cAt / bytes, rows, width, cStride, 0);
  else if (cIn < 0) copyIn(cRows, false, rows, n, ldc, beta, memory, cAt / bytes, width);
  else if (beta !== 1) scaleRows(memory, cAt / bytes, rows, width, cStride, beta);
  const kernel = bytes === 4 ? kernels.exports.csrTransposeTimesDense : kernels.exports.csrTransposeTimesDense64; // prettier-ignore
  const vectors = (bytes: number) => bytes / 16;
  kernel(resident.rowStart, resident.columns, resident.values, rowIds, count, gAt, vectors((gIn >= 0 ? ldg : width) * bytes), cAt, vectors(cStride * bytes), vectors(width * bytes), from, to); // prettier-ignore
  if (cIn < 0) copyOut(memory, cAt / bytes, width, rows, n, cRows, ldc);
}

/**
 * The byte offset of dense operand `a` (`n` columns, row stride `ld`) in the kernels memory
 * when the kernels can use it in place: it lives there (a `KernelsArena`'s), and its rows are
 * whole vectors apart, each holding `width` columns (n itself, or n and padding that belongs
 * to the array because ld is width). Otherwise -1: the operand is staged.
 */
function inPlace(
  kernels: WasmKernels,
  a: DenseMatrix,
  n: number,
  ld: number,
  width: number,
): number {
  const lanes = 16 / a.BYTES_PER_ELEMENT;
  return ld % lanes === 0 && (width === n || ld === width) ? kernels.offsetOf(a) : -1;
}

/** `width` elements of each of `rows` rows (row stride `stride`) from `at`, times `beta`. */
function scaleRows(
  memory: DenseMatrix,
  at: number,
  rows: number,
  width: number,
  stride: number,
  beta: number,
): void {
  if (stride === width && beta === 0) {
    memory.fill(0, at, at + rows * width);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const start = at + i * stride;
    if (beta === 0) memory.fill(0, start, start + width);
    else for (let k = start; k < start + width; k++) memory[k] *= beta;
  }
}

// ---------------------------------------------------------------------------------------------
// Argument checks.

function checkSelection(
  who: string,
  x: SparseRows,
  rowList: Int32Array | null,
  first: number,
  count: number,
): void {
  if (!(x instanceof SparseRows)) {
    throw new DTypeError(`${who}: x must be a SparseRows, got ${describeValue(x)}`);
  }
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0) {
    throw new ValueError(
      `${who}: first and count must be non-negative integers, got ${first} and ${count}`,
    );
  }
  if (rowList === null) {
    if (first + count > x.rows) {
      throw new ValueError(
        `${who}: rows [${first}, ${first + count}) are not all among the ${x.rows} rows of x`,
      );
    }
    return;
  }
  if (!(rowList instanceof Int32Array) || first + count > rowList.length) {
    throw new ShapeError(
      `${who}: rowList must be an Int32Array of at least ${first + count} entries, got ${describeValue(rowList)}`,
    );
  }
  for (let r = first; r < first + count; r++) {
    const i = rowList[r];
    if (i < 0 || i >= x.rows) {
      throw new ValueError(`${who}: rowList[${r}] = ${i} is not a row index in [0, ${x.rows})`);
    }
  }
}

function checkDense(
  who: string,
  name: string,
  data: DenseMatrix,
  rows: number,
  cols: number,
  ld: number,
): void {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new DTypeError(
      `${who}: ${name} must be a Float32Array or Float64Array, got ${describeValue(data)}`,
    );
  }
  if (!Number.isInteger(cols) || cols < 0) {
    throw new ValueError(`${who}: n must be a non-negative integer, got ${cols}`);
  }
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new ShapeError(
      `${who}: the row stride of ${name} (stored ${rows} x ${cols}) must be an integer >= ${Math.max(1, cols)}, got ${ld}`,
    );
  }
  const needed = rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
  if (data.length < needed) {
    throw new ShapeError(
      `${who}: ${name} (stored ${rows} x ${cols}, row stride ${ld}) needs ${needed} elements, got ${data.length}`,
    );
  }
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}
