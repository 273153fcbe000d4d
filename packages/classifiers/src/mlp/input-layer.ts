import { allocatorFor, gemm, sharedCopy } from '@typedlearn/tensor';
import { SparseRows } from '../optim/sparse-rows.js';

/**
 * The first layer's two products with a mini-batch of input rows, on units [u0, u1) of the
 * layer (so threads can split the units; each unit's numbers are computed the same way
 * whatever the split). W is the d x units weight matrix, row-major.
 */
export interface InputLayer {
  readonly features: number;
  /**
   * Makes rows `rowList[0..count)` of X the current mini-batch and builds what the products
   * need from it (once per batch, on one thread).
   */
  prepare(rowList: Int32Array, count: number): void;
  /** Makes the batch another thread prepared (in shared memory) the current one. */
  use(rowList: Int32Array, count: number): void;
  /** Z[r, u] = b[u] + sum_j X[row_r, j] W[j, u] for the current batch, u in [u0, u1). */
  forward(
    W: Float32Array,
    b: Float32Array,
    units: number,
    Z: Float32Array,
    u0: number,
    u1: number,
  ): void;
  /** dW[j, u] = sum_r X[row_r, j] dZ[r, u] for the current batch, u in [u0, u1). */
  weightGradient(dZ: Float32Array, units: number, dW: Float32Array, u0: number, u1: number): void;
}

/** The arrays behind an {@link InputLayer}, which worker threads receive to rebuild it. */
export type InputMemory =
  | {
      format: 'dense';
      features: number;
      /** X, row-major. */
      x: Float32Array;
      /** The current batch's rows, gathered. */
      batch: Float32Array;
    }
  | {
      format: 'sparse';
      rows: number;
      features: number;
      rowStart: Int32Array;
      columns: Int32Array;
      values: Float32Array;
      /** The current batch's nonzeros by column (see {@link SparseInputLayer}). */
      columnStart: Int32Array;
      entryRow: Int32Array;
      entryValue: Float32Array;
    };

/**
 * The memory of a first layer over the `rows` x `features` matrix `x`, for batches of up to
 * `batchSize` rows, in shared memory when `shared` (the dense X is then copied into it).
 */
export function allocateInputMemory(
  x: Float32Array,
  rows: number,
  features: number,
  sparse: boolean,
  batchSize: number,
  shared: boolean,
): InputMemory {
  const allocator = allocatorFor(shared);
  if (!sparse) {
    return {
      format: 'dense',
      features,
      x: shared ? sharedCopy(x) : x,
      batch: allocator('float32', batchSize * features),
    };
  }
  const csr = SparseRows.fromDense(x, rows, features, allocator);
  const capacity = Math.min(batchSize * features, largestRowsNonzeros(csr, batchSize));
  return {
    format: 'sparse',
    rows,
    features,
    rowStart: csr.rowStart,
    columns: csr.columns,
    values: csr.values,
    columnStart: allocator('int32', features + 1),
    entryRow: allocator('int32', capacity),
    entryValue: allocator('float32', capacity),
  };
}

/** The input layer working on `memory`. */
export function createInputLayer(memory: InputMemory): InputLayer {
  return memory.format === 'sparse' ? new SparseInputLayer(memory) : new DenseInputLayer(memory);
}

/**
 * Dense input rows: the batch is gathered into a contiguous block and both products go
 * through the tensor core's GEMM.
 */
export class DenseInputLayer implements InputLayer {
  readonly features: number;
  private count = 0;

  constructor(private readonly memory: Extract<InputMemory, { format: 'dense' }>) {
    this.features = memory.features;
  }

  prepare(rowList: Int32Array, count: number): void {
    const { features: d, x, batch } = this.memory;
    for (let r = 0; r < count; r++) {
      const i = rowList[r];
      batch.set(x.subarray(i * d, (i + 1) * d), r * d);
    }
    this.count = count;
  }

  use(_rowList: Int32Array, count: number): void {
    this.count = count;
  }

  forward(
    W: Float32Array,
    b: Float32Array,
    units: number,
    Z: Float32Array,
    u0: number,
    u1: number,
  ): void {
    const { count, features: d } = this;
    for (let r = 0; r < count; r++) Z.set(b.subarray(u0, u1), r * units + u0);
    const { batch } = this.memory;
    gemm(
      false,
      false,
      count,
      u1 - u0,
      d,
      1,
      batch,
      d,
      W.subarray(u0),
      units,
      1,
      Z.subarray(u0),
      units,
    );
  }

  weightGradient(dZ: Float32Array, units: number, dW: Float32Array, u0: number, u1: number): void {
    const { count, features: d } = this;
    const { batch } = this.memory;
    gemm(
      true,
      false,
      d,
      u1 - u0,
      count,
      1,
      batch,
      d,
      dZ.subarray(u0),
      units,
      0,
      dW.subarray(u0),
      units,
    );
  }
}

/**
 * Sparse input rows (compressed sparse rows): the products touch only nonzero pixels, about a
 * fifth of MNIST's. Forward adds x_ij * W[j, :] to row i's pre-activations for each nonzero.
 * The weight gradient needs the batch by columns, so `prepare` transposes the batch's
 * nonzeros (a counting sort by column) and each dW row is then a sum over its column's
 * entries. Both kernels combine eight nonzeros per pass over a row of Z or dW, which is
 * 1.4x faster than one at a time in V8 (measured on MNIST, 128 units).
 */
export class SparseInputLayer implements InputLayer {
  readonly features: number;
  private readonly x: SparseRows;
  /** The current batch's nonzeros by column: column j's are [columnStart[j], columnStart[j+1]). */
  private readonly columnStart: Int32Array;
  private readonly entryRow: Int32Array;
  private readonly entryValue: Float32Array;
  private rowList: Int32Array = new Int32Array(0);
  private count = 0;

  constructor(memory: Extract<InputMemory, { format: 'sparse' }>) {
    const { rows, features, rowStart, columns, values } = memory;
    this.features = features;
    this.x = new SparseRows(rows, features, rowStart, columns, values);
    this.columnStart = memory.columnStart;
    this.entryRow = memory.entryRow;
    this.entryValue = memory.entryValue;
  }

  prepare(rowList: Int32Array, count: number): void {
    const { rowStart, columns, values } = this.x;
    const { columnStart, entryRow, entryValue } = this;
    this.use(rowList, count);
    // Counting sort of the batch's nonzeros by column; within a column, rows stay in batch order.
    columnStart.fill(0);
    for (let r = 0; r < count; r++) {
      const i = rowList[r];
      for (let q = rowStart[i]; q < rowStart[i + 1]; q++) columnStart[columns[q] + 1]++;
    }
    for (let j = 0; j < this.features; j++) columnStart[j + 1] += columnStart[j];
    for (let r = 0; r < count; r++) {
      const i = rowList[r];
      for (let q = rowStart[i]; q < rowStart[i + 1]; q++) {
        const at = columnStart[columns[q]]++;
        entryRow[at] = r;
        entryValue[at] = values[q];
      }
    }
    // The fill pass advanced each start to the next column's start: shift back.
    for (let j = this.features; j > 0; j--) columnStart[j] = columnStart[j - 1];
    columnStart[0] = 0;
  }

  use(rowList: Int32Array, count: number): void {
    this.rowList = rowList;
    this.count = count;
  }

  forward(
    W: Float32Array,
    b: Float32Array,
    units: number,
    Z: Float32Array,
    u0: number,
    u1: number,
  ): void {
    const { rowStart, columns, values } = this.x;
    const { rowList, count } = this;
    const pairsEnd = u0 + ((u1 - u0) & ~1);
    for (let r = 0; r < count; r++) {
      const i = rowList[r];
      const z = r * units;
      for (let u = u0; u < u1; u++) Z[z + u] = b[u];
      const end = rowStart[i + 1];
      let q = rowStart[i];
      // Eight nonzeros (and two units) at a time: each Z element is loaded and stored once
      // per eight products.
      for (; q + 8 <= end; q += 8) {
        const v0 = values[q], v1 = values[q + 1], v2 = values[q + 2], v3 = values[q + 3]; // prettier-ignore
        const v4 = values[q + 4], v5 = values[q + 5], v6 = values[q + 6], v7 = values[q + 7]; // prettier-ignore
        const w0 = columns[q] * units, w1 = columns[q + 1] * units; // prettier-ignore
        const w2 = columns[q + 2] * units, w3 = columns[q + 3] * units; // prettier-ignore
        const w4 = columns[q + 4] * units, w5 = columns[q + 5] * units; // prettier-ignore
        const w6 = columns[q + 6] * units, w7 = columns[q + 7] * units; // prettier-ignore
        let u = u0;
        for (; u < pairsEnd; u += 2) {
          const a =
            Z[z + u] +
            (v0 * W[w0 + u] + v1 * W[w1 + u] + v2 * W[w2 + u] + v3 * W[w3 + u]) +
            (v4 * W[w4 + u] + v5 * W[w5 + u] + v6 * W[w6 + u] + v7 * W[w7 + u]);
          const c =
            Z[z + u + 1] +
            (v0 * W[w0 + u + 1] + v1 * W[w1 + u + 1] + v2 * W[w2 + u + 1] + v3 * W[w3 + u + 1]) +
            (v4 * W[w4 + u + 1] + v5 * W[w5 + u + 1] + v6 * W[w6 + u + 1] + v7 * W[w7 + u + 1]);
          Z[z + u] = a;
          Z[z + u + 1] = c;
        }
        if (u < u1) {
          // The same sum in the same order as above, so a unit's value does not depend on
          // whether it was paired.
          Z[z + u] =
            Z[z + u] +
            (v0 * W[w0 + u] + v1 * W[w1 + u] + v2 * W[w2 + u] + v3 * W[w3 + u]) +
            (v4 * W[w4 + u] + v5 * W[w5 + u] + v6 * W[w6 + u] + v7 * W[w7 + u]);
        }
      }
      for (; q < end; q++) {
        const v = values[q];
        const w = columns[q] * units;
        for (let u = u0; u < u1; u++) Z[z + u] += v * W[w + u];
      }
    }
  }

  weightGradient(dZ: Float32Array, units: number, dW: Float32Array, u0: number, u1: number): void {
    const { columnStart, entryRow: rows, entryValue: values } = this;
    const pairsEnd = u0 + ((u1 - u0) & ~1);
    for (let j = 0; j < this.features; j++) {
      const w = j * units;
      for (let u = u0; u < u1; u++) dW[w + u] = 0;
      const end = columnStart[j + 1];
      let e = columnStart[j];
      // Eight entries of column j (and two units) at a time, as in `forward`.
      for (; e + 8 <= end; e += 8) {
        const v0 = values[e], v1 = values[e + 1], v2 = values[e + 2], v3 = values[e + 3]; // prettier-ignore
        const v4 = values[e + 4], v5 = values[e + 5], v6 = values[e + 6], v7 = values[e + 7]; // prettier-ignore
        const z0 = rows[e] * units, z1 = rows[e + 1] * units; // prettier-ignore
        const z2 = rows[e + 2] * units, z3 = rows[e + 3] * units; // prettier-ignore
        const z4 = rows[e + 4] * units, z5 = rows[e + 5] * units; // prettier-ignore
        const z6 = rows[e + 6] * units, z7 = rows[e + 7] * units; // prettier-ignore
        let u = u0;
        for (; u < pairsEnd; u += 2) {
          const a =
            dW[w + u] +
            (v0 * dZ[z0 + u] + v1 * dZ[z1 + u] + v2 * dZ[z2 + u] + v3 * dZ[z3 + u]) +
            (v4 * dZ[z4 + u] + v5 * dZ[z5 + u] + v6 * dZ[z6 + u] + v7 * dZ[z7 + u]);
          const c =
            dW[w + u + 1] +
            (v0 * dZ[z0 + u + 1] +
              v1 * dZ[z1 + u + 1] +
              v2 * dZ[z2 + u + 1] +
              v3 * dZ[z3 + u + 1]) +
            (v4 * dZ[z4 + u + 1] + v5 * dZ[z5 + u + 1] + v6 * dZ[z6 + u + 1] + v7 * dZ[z7 + u + 1]);
          dW[w + u] = a;
          dW[w + u + 1] = c;
        }
        if (u < u1) {
          // The same sum in the same order as above, so a unit's value does not depend on
          // whether it was paired.
          dW[w + u] =
            dW[w + u] +
            (v0 * dZ[z0 + u] + v1 * dZ[z1 + u] + v2 * dZ[z2 + u] + v3 * dZ[z3 + u]) +
            (v4 * dZ[z4 + u] + v5 * dZ[z5 + u] + v6 * dZ[z6 + u] + v7 * dZ[z7 + u]);
        }
      }
      for (; e < end; e++) {
        const v = values[e];
        const z = rows[e] * units;
        for (let u = u0; u < u1; u++) dW[w + u] += v * dZ[z + u];
      }
    }
  }
}

/** The most nonzeros any `batchSize` rows of `x` can hold: the sum of its largest row counts. */
function largestRowsNonzeros(x: SparseRows, batchSize: number): number {
  const counts = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) counts[i] = x.rowStart[i + 1] - x.rowStart[i];
  counts.sort();
  let total = 0;
  for (let r = 0; r < Math.min(batchSize, x.rows); r++) total += counts[x.rows - 1 - r];
  return total;
}
