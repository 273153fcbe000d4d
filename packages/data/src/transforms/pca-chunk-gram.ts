import { defineTask, gemm } from '@typedlearn/tensor';

/** Rows of centred data multiplied at a time when accumulating the covariance. */
export const CHUNK_ROWS = 1024;
/** Width of the column blocks of the covariance (its lower block triangle is computed). */
const BLOCK = 128;

/** What {@link chunkGram} reads: rows of a matrix and the columns and means it centres. */
export interface ChunkSource {
  /** Row-major float32 matrix with `cols` columns. */
  data: Float32Array;
  cols: number;
  /** The columns taken, in order. */
  features: Int32Array;
  /** Their means (float64), subtracted from each value. */
  featureMeans: Float64Array;
}

/**
 * `gram` = Xc^T Xc, float32 m x m, for rows [start, start + count) of the source centred on
 * the `features` columns (m of them), written into `chunk` (count x m) first. Only the lower
 * block triangle of `gram` is written, by one GEMM per block row (what BLAS syrk does), so each
 * block of chunk columns is packed as A once.
 */
export function chunkGram(
  { data, cols, features, featureMeans }: ChunkSource,
  start: number,
  count: number,
  chunk: Float32Array,
  gram: Float32Array,
): void {
  const m = features.length;
  for (let i = 0; i < count; i++) {
    const from = (start + i) * cols;
    const to = i * m;
    for (let a = 0; a < m; a++) chunk[to + a] = data[from + features[a]] - featureMeans[a];
  }
  // gram[i0.., 0..i0 + bi] = chunk[:, i0..]^T chunk[:, 0..i0 + bi].
  for (let i0 = 0; i0 < m; i0 += BLOCK) {
    const bi = Math.min(BLOCK, m - i0);
    gemm(true, false, bi, i0 + bi, count, 1, chunk.subarray(i0), m, chunk, m, 0, gram.subarray(i0 * m), m); // prettier-ignore
  }
}

/** One chunk for a pool thread: the source in shared memory, and where its Gram matrix goes. */
export interface ChunkGramInput extends ChunkSource {
  start: number;
  count: number;
  /** Shared float32 m x m. */
  gram: Float32Array;
}

/** The pool task of PCA's covariance on several threads: {@link chunkGram} of one chunk. */
export function chunkGramTask(input: ChunkGramInput): void {
  const chunk = new Float32Array(input.count * input.features.length);
  chunkGram(input, input.start, input.count, chunk, input.gram);
}

export const CHUNK_GRAM = defineTask(
  new URL('./pca-chunk-gram.js', import.meta.url),
  'chunkGramTask',
);
