import {
  allocatorFor,
  gemm,
  type Allocator,
  sharedCopy,
  SparseRows,
  sparseDenseProduct,
  sparseTransposeDenseProduct,
} from '@typedlearn/tensor';

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
  /** Z[r, u] = b[u] + sum_j X[row_r, j] W[j, u] for rows r in [r0, r1) of the current batch. */
  forward(
    W: Float32Array,
    b: Float32Array,
    units: number,
    Z: Float32Array,
    r0: number,
    r1: number,
  ): void;
  /** dW[j, u] = sum_r X[row_r, j] dZ[r, u] for the current batch, features j in [j0, j1). */
  weightGradient(dZ: Float32Array, units: number, dW: Float32Array, j0: number, j1: number): void;
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
    };

/**
 * The memory of a first layer over the `rows` x `features` matrix `x`, for batches of up to
 * `batchSize` rows, in arrays made by `allocator`: sparse with x's count of nonzeros, dense when
 * `nonzeros` is null. When `shared` (worker threads take part), the allocator must make shared
 * arrays, and a dense X is copied into shared memory.
 */
export function allocateInputMemory(
  x: Float32Array,
  rows: number,
  features: number,
  nonzeros: number | null,
  batchSize: number,
  shared: boolean,
  allocator: Allocator = allocatorFor(shared),
): InputMemory {
  if (nonzeros === null) {
    return {
      format: 'dense',
      features,
      x: shared ? sharedCopy(x) : x,
      batch: allocator('float32', batchSize * features),
    };
  }
  const csr = SparseRows.fromDense(x, rows, features, allocator, nonzeros);
  return {
    format: 'sparse',
    rows,
    features,
    rowStart: csr.rowStart,
    columns: csr.columns,
    values: csr.values,
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
    r0: number,
    r1: number,
  ): void {
    const d = this.features;
    for (let r = r0; r < r1; r++) Z.set(b, r * units);
    const { batch } = this.memory;
    gemm(false, false, r1 - r0, units, d, 1, batch.subarray(r0 * d), d, W, units, 1, Z.subarray(r0 * units), units); // prettier-ignore
  }

  weightGradient(dZ: Float32Array, units: number, dW: Float32Array, j0: number, j1: number): void {
    const d = this.features;
    const { batch } = this.memory;
    gemm(true, false, j1 - j0, units, this.count, 1, batch.subarray(j0), d, dZ, units, 0, dW.subarray(j0 * units), units); // prettier-ignore
  }
}

/**
 * Sparse input rows (compressed sparse rows): the products touch only nonzero pixels, about a
 * fifth of MNIST's, through the tensor core's sparse kernels (`sparseDenseProduct` for
 * Z = b + X_batch W, `sparseTransposeDenseProduct` for dW = X_batch^T dZ), which work on the
 * batch's rows of X where they are, on the active backend.
 */
export class SparseInputLayer implements InputLayer {
  readonly features: number;
  private readonly x: SparseRows;
  private rowList: Int32Array = new Int32Array(0);
  private count = 0;

  constructor(memory: Extract<InputMemory, { format: 'sparse' }>) {
    const { rows, features, rowStart, columns, values } = memory;
    this.features = features;
    this.x = new SparseRows(rows, features, rowStart, columns, values);
  }

  prepare(rowList: Int32Array, count: number): void {
    this.use(rowList, count);
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
    r0: number,
    r1: number,
  ): void {
    for (let r = r0; r < r1; r++) Z.set(b, r * units);
    sparseDenseProduct(this.x, this.rowList, r0, r1 - r0, false, units, W, units, 1, Z.subarray(r0 * units), units); // prettier-ignore
  }

  weightGradient(dZ: Float32Array, units: number, dW: Float32Array, j0: number, j1: number): void {
    const { rowList, count } = this;
    sparseTransposeDenseProduct(this.x, rowList, 0, count, units, dZ, units, 0, dW, units, j0, j1); // prettier-ignore
  }
}
