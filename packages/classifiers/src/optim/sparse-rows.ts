import { allocate } from '@typedlearn/tensor';

/**
 * A matrix in compressed sparse row (CSR) form: row i's nonzero values are
 * `values[rowStart[i] .. rowStart[i + 1])`, in the columns `columns[...]` (ascending).
 *
 * MNIST images are about 81% zero pixels, so a product with X touches a fifth of the numbers
 * a dense product would. The softmax regression and the MLP's first layer use this form
 * when the data are sparse enough to pay (see `shouldUseSparseRows`).
 */
export class SparseRows {
  /** Wraps existing CSR arrays (e.g. shared ones received by a worker thread), unchecked. */
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly rowStart: Int32Array,
    readonly columns: Int32Array,
    readonly values: Float32Array,
  ) {}

  /**
   * The nonzeros of the row-major `rows` x `cols` matrix `data`, in arrays made by
   * `allocator` (plain memory by default; `allocateShared` for worker threads).
   */
  static fromDense(
    data: Float32Array,
    rows: number,
    cols: number,
    allocator: typeof allocate = allocate,
  ): SparseRows {
    const nonzeros = countNonzeros(data, rows * cols);
    const rowStart = allocator('int32', rows + 1);
    const columns = allocator('int32', nonzeros);
    const values = allocator('float32', nonzeros);
    fillSparseRows(data, rows, cols, rowStart, columns, values);
    return new SparseRows(rows, cols, rowStart, columns, values);
  }
}

/** Share of nonzero values below which the sparse kernels beat the dense GEMM. */
export const SPARSE_DENSITY_THRESHOLD = 0.5;

/** Whether a matrix with these values is sparse enough for {@link SparseRows} to pay. */
export function shouldUseSparseRows(data: Float32Array, size: number): boolean {
  return countNonzeros(data, size) <= SPARSE_DENSITY_THRESHOLD * size;
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
