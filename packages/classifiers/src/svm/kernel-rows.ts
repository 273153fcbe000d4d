import { CsrBlockDots, getBackend } from '@typedlearn/tensor';
import { threadLocal } from '../parallel/thread-local.js';
import type { FeatureRows } from './feature-rows.js';
import { dotsToKernel, type Kernel } from './kernel.js';

/**
 * Most query rows one pass over the target rows serves. Each target row is then loaded once
 * for up to eight kernel values: a small matrix product x_targets * [q1 .. q8]. Per kernel value
 * on MNIST rows, one query costs about 3.5 times as much as eight
 * (`benchmarks/src/svm-kernel-rows.ts`), so callers batch rows whenever they can.
 */
export const BLOCK_ROWS = 8;

/** Reusable buffers for {@link kernelRows}, so the hot loops allocate nothing. */
export class KernelRowsScratch {
  /**
   * The query rows as dense columns, interleaved: `queries[k * width + r]` = q_r[k]. A plain
   * array of doubles: V8 keeps its elements unboxed and loads them with fewer instructions than
   * a typed array's (measured about 20% faster here).
   */
  readonly queries: number[];
  /** Results: `values[r * stride + t]` = K(q_r, x_targets[t]). */
  readonly values: Float64Array;
  readonly stride: number;
  /** |q_r|^2 of each query row of a block (0 for the padding). */
  readonly queryNorms = new Float64Array(BLOCK_ROWS);

  constructor(nFeatures: number, maxTargets: number) {
    // Created holding doubles, so the array's elements kind is double from the start.
    this.queries = Array.from({ length: nFeatures * BLOCK_ROWS }, () => 0.5);
    this.stride = maxTargets;
    this.values = new Float64Array(maxTargets * BLOCK_ROWS);
  }
}

/**
 * Kernel values K(q_r, x_t) of up to {@link BLOCK_ROWS} query rows (`queries[0..nQueries)`,
 * indices into `queryRows`) against the target rows `targets[from..to)` (indices into
 * `targetRows`), into `scratch.values[r * scratch.stride + t]`. Dot products are summed in
 * double precision from the float32 features (each product is exact), always in feature order,
 * so a value is bit-identical whichever path (one query or a block) computed it: results then
 * do not depend on the cache size or the thread count.
 *
 * Sparse target rows go through @typedlearn/tensor's `CsrBlockDots` on the active backend: the
 * same float64 sums bit for bit on `'js'` and `'wasm-simd'` (f64x2 SIMD), and for the RBF kernel
 * the exp in the same call (`'js'`: Math.exp; `'wasm-simd'`: a vectorised exp within a few ulp
 * of it, so the two backends' kernel values, not their sums, may differ in the last bits). Target
 * rows whose `sums` are `'float32'` (chosen by {@link float32KernelSums}) are summed in float32,
 * still in feature order, so a value is still the same whichever path computed it.
 */
export function kernelRows(
  kernel: Kernel,
  queryRows: FeatureRows,
  queries: Int32Array,
  nQueries: number,
  targetRows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  scratch: KernelRowsScratch,
): void {
  const { values, stride } = scratch;
  const width = nQueries === 1 ? 1 : nQueries === 2 ? 2 : nQueries <= 4 ? 4 : 8;
  const q = scratch.queries;
  scatterQueries(queryRows, queries, nQueries, q, width);
  if (targetRows.sparse && kernel.name === 'rbf') {
    // Dot products and the exp in one pass (one call into WebAssembly on that backend).
    const norms = scratch.queryNorms;
    norms.fill(0);
    for (let r = 0; r < nQueries; r++) norms[r] = queryRows.squaredNorms[queries[r]];
    const csr = csrDotsOf(targetRows);
    csr.blockGaussian(q, norms, kernel.gamma, width, targets, from, to, values, stride);
    return;
  }
  if (targetRows.sparse) {
    csrDotsOf(targetRows).blockDots(q, width, targets, from, to, values, stride);
  } else if (width === 1) {
    denseDots1(targetRows, targets, from, to, q, values);
  } else {
    // Dense rows: four queries at a time against four targets at a time.
    for (let first = 0; first < nQueries; first += 4) {
      denseDots4(targetRows, targets, from, to, q, width, first, values, stride);
    }
  }
  for (let r = 0; r < nQueries; r++) {
    const norm = queryRows.squaredNorms[queries[r]];
    const row = values.subarray(r * stride, r * stride + to);
    dotsToKernel(kernel, row, from, to, norm, targetRows.squaredNorms, targets);
  }
}

/**
 * The largest worst-case relative error float32 sums may bring to an RBF kernel value: 1e-3, the
 * solver's default stopping tolerance `tol`.
 */
export const FLOAT32_KERNEL_ERROR = 1e-3;

/**
 * Whether RBF kernel values against the rows `targets` may sum their dot products in float32,
 * for queries of squared norm at most `largestQueryNorm` (by default the targets' own largest:
 * a fit's rows against themselves). On `'wasm-simd'` float32 sums take four queries per f32x4
 * operation instead of two per f64x2 (on `'js'` they are slower, so never chosen there).
 *
 * K = exp(-gamma (|q|^2 + |x|^2 - 2 q.x)): with q.x off by e, K is off by a factor exp(2 gamma e),
 * and a float32 sum of n products is off by at most e <= gamma_n sum |q_k x_k| <= gamma_n |q| |x|,
 * gamma_n = n u / (1 - n u), u = 2^-24 (Higham, "Accuracy and Stability of Numerical
 * Algorithms", 2002, eq. 3.5), n the non-zeros of the longest target row. Float32 when
 * 2 gamma gamma_n |q| max |x| <= {@link FLOAT32_KERNEL_ERROR}: so on MNIST's pixels (n <= 351,
 * |x|^2 <= 295, gamma = 0.0134: 1.7e-4), not on data far from the origin, whose
 * |q|^2 + |x|^2 - 2 q.x cancels (20 features of 100 + N(0, 1): 0.02).
 */
export function float32KernelSums(
  kernel: Kernel,
  targets: FeatureRows,
  largestQueryNorm = targets.maxSquaredNorm,
): boolean {
  if (kernel.name !== 'rbf' || !targets.sparse || getBackend() !== 'wasm-simd') return false;
  // n <= 65,536 (sparse rows' columns fit 16 bits), so n u < 0.004 and gamma_n is finite.
  const u = 2 ** -24;
  const n = targets.longestRow;
  const gammaN = (n * u) / (1 - n * u);
  const bound = 2 * kernel.gamma * gammaN * Math.sqrt(largestQueryNorm * targets.maxSquaredNorm);
  return bound <= FLOAT32_KERNEL_ERROR;
}

/** Each sparse FeatureRows object's {@link CsrBlockDots}, made on first use. */
const csrCopies = new WeakMap<FeatureRows, CsrBlockDots>();

/**
 * The {@link CsrBlockDots} of sparse `rows` on the active backend. Rows on shared memory arrive
 * in a worker as a new object with every task: each thread keeps their copy under their `key`
 * for the whole fit, so the WebAssembly backend copies them into its memory once per thread.
 */
function csrDotsOf(rows: FeatureRows): CsrBlockDots {
  let csr = csrCopies.get(rows);
  const backend = getBackend();
  const precision = rows.sums;
  if (csr?.backend !== backend || csr.precision !== precision) {
    const create = () =>
      new CsrBlockDots(rows.rowStart, rows.columns, rows.values, rows.count, rows.nFeatures, {
        precision,
      });
    const key = `${rows.key}/${backend}/${precision}`;
    csr = rows.key === '' ? create() : threadLocal('svm-csr-rows', key, create);
    csrCopies.set(rows, csr);
  }
  return csr;
}

/** Writes query r as column r of a dense [nFeatures x width] matrix (zeros elsewhere). */
function scatterQueries(
  rows: FeatureRows,
  queries: Int32Array,
  nQueries: number,
  out: number[],
  width: number,
): void {
  const d = rows.nFeatures;
  out.fill(0, 0, d * width);
  for (let r = 0; r < nQueries; r++) {
    const row = queries[r];
    if (rows.sparse) {
      const { rowStart, columns, values } = rows;
      for (let q = rowStart[row]; q < rowStart[row + 1]; q++)
        out[columns[q] * width + r] = values[q];
    } else {
      const { dense } = rows;
      for (let k = 0; k < d; k++) out[k * width + r] = dense[row * d + k];
    }
  }
}

function denseDots1(
  rows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  query: number[],
  out: Float64Array,
): void {
  // Four targets at a time: four independent sums, each still added in feature order.
  const { dense, nFeatures: d } = rows;
  let t = from;
  for (; t + 4 <= to; t += 4) {
    const b0 = targets[t] * d;
    const b1 = targets[t + 1] * d;
    const b2 = targets[t + 2] * d;
    const b3 = targets[t + 3] * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < d; k++) {
      const q = query[k];
      s0 += q * dense[b0 + k];
      s1 += q * dense[b1 + k];
      s2 += q * dense[b2 + k];
      s3 += q * dense[b3 + k];
    }
    out[t] = s0;
    out[t + 1] = s1;
    out[t + 2] = s2;
    out[t + 3] = s3;
  }
  for (; t < to; t++) {
    const base = targets[t] * d;
    let sum = 0;
    for (let k = 0; k < d; k++) sum += query[k] * dense[base + k];
    out[t] = sum;
  }
}

/**
 * Queries first..first+3 (columns of the interleaved buffer of `width`) against the targets, a
 * 4 x 4 block of sums in registers per step: 8 loads for 16 multiply-adds. Queries past the
 * last real one are zero columns; their sums are computed and ignored.
 */
function denseDots4(
  rows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  queries: number[],
  width: number,
  first: number,
  out: Float64Array,
  stride: number,
): void {
  const { dense, nFeatures: d } = rows;
  const o0 = first * stride;
  const o1 = o0 + stride;
  const o2 = o1 + stride;
  const o3 = o2 + stride;
  let t = from;
  for (; t + 4 <= to; t += 4) {
    const b0 = targets[t] * d;
    const b1 = targets[t + 1] * d;
    const b2 = targets[t + 2] * d;
    const b3 = targets[t + 3] * d;
    let a00 = 0,
      a01 = 0,
      a02 = 0,
      a03 = 0;
    let a10 = 0,
      a11 = 0,
      a12 = 0,
      a13 = 0;
    let a20 = 0,
      a21 = 0,
      a22 = 0,
      a23 = 0;
    let a30 = 0,
      a31 = 0,
      a32 = 0,
      a33 = 0;
    for (let k = 0; k < d; k++) {
      const c = k * width + first;
      const q0 = queries[c];
      const q1 = queries[c + 1];
      const q2 = queries[c + 2];
      const q3 = queries[c + 3];
      const x0 = dense[b0 + k];
      const x1 = dense[b1 + k];
      const x2 = dense[b2 + k];
      const x3 = dense[b3 + k];
      a00 += q0 * x0;
      a01 += q0 * x1;
      a02 += q0 * x2;
      a03 += q0 * x3;
      a10 += q1 * x0;
      a11 += q1 * x1;
      a12 += q1 * x2;
      a13 += q1 * x3;
      a20 += q2 * x0;
      a21 += q2 * x1;
      a22 += q2 * x2;
      a23 += q2 * x3;
      a30 += q3 * x0;
      a31 += q3 * x1;
      a32 += q3 * x2;
      a33 += q3 * x3;
    }
    out[o0 + t] = a00;
    out[o0 + t + 1] = a01;
    out[o0 + t + 2] = a02;
    out[o0 + t + 3] = a03;
    out[o1 + t] = a10;
    out[o1 + t + 1] = a11;
    out[o1 + t + 2] = a12;
    out[o1 + t + 3] = a13;
    out[o2 + t] = a20;
    out[o2 + t + 1] = a21;
    out[o2 + t + 2] = a22;
    out[o2 + t + 3] = a23;
    out[o3 + t] = a30;
    out[o3 + t + 1] = a31;
    out[o3 + t + 2] = a32;
    out[o3 + t + 3] = a33;
  }
  for (; t < to; t++) {
    const base = targets[t] * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < d; k++) {
      const x = dense[base + k];
      const c = k * width + first;
      s0 += queries[c] * x;
      s1 += queries[c + 1] * x;
      s2 += queries[c + 2] * x;
      s3 += queries[c + 3] * x;
    }
    out[o0 + t] = s0;
    out[o1 + t] = s1;
    out[o2 + t] = s2;
    out[o3 + t] = s3;
  }
}
