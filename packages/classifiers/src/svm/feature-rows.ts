import { allocatorFor, getBackend, type DotPrecision, type Tensor } from '@typedlearn/tensor';
import { newMemoryId } from '../parallel/thread-local.js';

/**
 * On the `'js'` backend, above this fraction of non-zero values, rows are stored dense.
 * `benchmarks/src/svm-kernel-rows.ts` measured sparse kernel rows 2-4x faster than dense ones at
 * MNIST's 19% non-zero, about 2x at 30%, and at 50% faster only when several rows share a pass.
 * On `'wasm-simd'` rows are sparse at any density: its sparse kernel (f64x2, the exp in the same
 * pass) beats the dense rows' JavaScript loops even with every value stored, as on 80 principal
 * components, where an SVC fit took 21 s instead of 30.5 s. The sums are the same either way:
 * in feature order, and the zeros a sparse row skips add nothing.
 */
export const SPARSE_DENSITY_LIMIT = 0.4;

/**
 * The rows of a feature matrix in the layout kernel loops read fastest, with their squared
 * norms (for the RBF kernel's |x - z|^2 = |x|^2 + |z|^2 - 2 x.z):
 * - dense: `dense` holds the rows row-major (`rowStart`, `columns`, `values` are empty);
 * - sparse (compressed sparse rows): row r's non-zeros are `values[rowStart[r]..rowStart[r+1])`
 *   in columns `columns[...]` (`dense` is empty).
 *
 * Every array may live on a SharedArrayBuffer, so worker threads read the rows without a copy.
 */
export interface FeatureRows {
  readonly count: number;
  readonly nFeatures: number;
  readonly sparse: boolean;
  readonly dense: Float32Array;
  readonly rowStart: Int32Array;
  readonly columns: Uint16Array;
  readonly values: Float32Array;
  /** |x_r|^2, summed in double precision. */
  readonly squaredNorms: Float64Array;
  /** The largest |x_r|^2 (0 without rows). */
  readonly maxSquaredNorm: number;
  /** The most values any row stores: its non-zeros when sparse, `nFeatures` when dense. */
  readonly longestRow: number;
  /**
   * How kernel rows against these rows sum their dot products: `'float64'` (the default), or
   * `'float32'` where a fit has checked it may (see `float32KernelSums`).
   */
  readonly sums: DotPrecision;
  /**
   * For rows on SharedArrayBuffers, an identifier unique to them, under which each thread keeps
   * what it builds over them (a copy in WebAssembly memory); '' otherwise.
   */
  readonly key: string;
}

/** Options of {@link toFeatureRows}. */
export interface FeatureRowsOptions {
  /** Only these rows of X, in this order. Default: every row. */
  rows?: Int32Array;
  /** Allocate on SharedArrayBuffers where available (for worker threads). Default false. */
  shared?: boolean;
  /** Force a layout instead of choosing by density. */
  layout?: 'dense' | 'sparse';
}

/**
 * Lays out the rows of a contiguous float32 matrix for kernel evaluation: sparse when there
 * are at most 65,536 features (so a column fits 16 bits) and, on the `'js'` backend, at most
 * {@link SPARSE_DENSITY_LIMIT} of the values are non-zero; dense otherwise.
 */
export function toFeatureRows(X: Tensor, options: FeatureRowsOptions = {}): FeatureRows {
  const [allRows, nFeatures] = X.matrixShape('X');
  const { data, offset } = X;
  const rows = options.rows ?? identity(allRows);
  const count = rows.length;
  const shared = options.shared ?? false;

  let nonZeros = 0;
  for (let r = 0; r < count; r++) {
    const base = offset + rows[r] * nFeatures;
    for (let k = 0; k < nFeatures; k++) if (data[base + k] !== 0) nonZeros++;
  }
  const limit = getBackend() === 'wasm-simd' ? 1 : SPARSE_DENSITY_LIMIT;
  const sparse =
    options.layout === undefined
      ? nFeatures <= 65536 && nonZeros <= limit * count * nFeatures
      : options.layout === 'sparse';

  const key = shared ? newMemoryId() : '';
  const squaredNorms = allocatorFor(shared)('float64', count);

  if (!sparse) {
    for (let r = 0; r < count; r++) {
      const base = offset + rows[r] * nFeatures;
      let sum = 0;
      for (let k = 0; k < nFeatures; k++) sum += data[base + k] * data[base + k];
      squaredNorms[r] = sum;
    }
    const dense = allocatorFor(shared)('float32', count * nFeatures);
    for (let r = 0; r < count; r++) {
      const base = offset + rows[r] * nFeatures;
      dense.set(data.subarray(base, base + nFeatures), r * nFeatures);
    }
    return {
      count,
      nFeatures,
      sparse,
      dense,
      rowStart: new Int32Array(0),
      columns: new Uint16Array(0),
      values: new Float32Array(0),
      squaredNorms,
      maxSquaredNorm: largest(squaredNorms),
      longestRow: count > 0 ? nFeatures : 0,
      sums: 'float64',
      key,
    };
  }

  const rowStart = allocatorFor(shared)('int32', count + 1);
  const columns = allocatorFor(shared)('uint16', nonZeros);
  const values = allocatorFor(shared)('float32', nonZeros);
  let at = 0;
  let longestRow = 0;
  for (let r = 0; r < count; r++) {
    rowStart[r] = at;
    const base = offset + rows[r] * nFeatures;
    for (let k = 0; k < nFeatures; k++) {
      const v = data[base + k];
      if (v !== 0) {
        columns[at] = k;
        values[at] = v;
        at++;
      }
    }
    // The zeros left out add +0 to a sum that starts at +0: the dense sum's bits.
    let sum = 0;
    for (let q = rowStart[r]; q < at; q++) sum += values[q] * values[q];
    squaredNorms[r] = sum;
    longestRow = Math.max(longestRow, at - rowStart[r]);
  }
  rowStart[count] = at;
  return {
    count,
    nFeatures,
    sparse,
    dense: new Float32Array(0),
    rowStart,
    columns,
    values,
    squaredNorms,
    maxSquaredNorm: largest(squaredNorms),
    longestRow,
    sums: 'float64',
    key,
  };
}

function largest(values: Float64Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/** Copies row `r` of `rows` into `out` (length nFeatures) as a dense vector. */
export function denseRow(rows: FeatureRows, r: number, out: Float32Array): void {
  const d = rows.nFeatures;
  if (!rows.sparse) {
    out.set(rows.dense.subarray(r * d, (r + 1) * d));
    return;
  }
  out.fill(0);
  const { rowStart, columns, values } = rows;
  for (let q = rowStart[r]; q < rowStart[r + 1]; q++) out[columns[q]] = values[q];
}

function identity(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
