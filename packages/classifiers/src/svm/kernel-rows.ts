import type { FeatureRows } from './feature-rows.js';
import { dotsToKernel, type Kernel } from './kernel.js';

/**
 * How many query rows one pass over the target rows serves. Each target row is then loaded
 * once for four kernel values instead of one, which makes a sparse kernel row about three times
 * cheaper (`benchmarks/src/svm-kernel-rows.ts`): a small matrix product, x_targets * [q1..q4].
 */
export const BLOCK_ROWS = 4;

/** Reusable buffers for {@link kernelRows}, so the hot loops allocate nothing. */
export class KernelRowsScratch {
  /** The query rows as dense columns, interleaved: `queries[k * BLOCK_ROWS + r]` = q_r[k]. */
  readonly queries: Float64Array;
  /** Results: `values[r * stride + t]` = K(q_r, x_targets[t]). */
  readonly values: Float64Array;
  readonly stride: number;

  constructor(nFeatures: number, maxTargets: number) {
    this.queries = new Float64Array(nFeatures * BLOCK_ROWS);
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
  if (nQueries === 1) {
    scatterQueries(queryRows, queries, 1, scratch.queries, 1);
    if (targetRows.sparse) sparseDots1(targetRows, targets, from, to, scratch.queries, values);
    else denseDots1(targetRows, targets, from, to, scratch.queries, values);
  } else {
    scatterQueries(queryRows, queries, nQueries, scratch.queries, BLOCK_ROWS);
    if (targetRows.sparse) {
      sparseDots4(targetRows, targets, from, to, scratch.queries, values, stride);
    } else {
      denseDots4(targetRows, targets, from, to, scratch.queries, values, stride);
    }
  }
  for (let r = 0; r < nQueries; r++) {
    const norm = queryRows.squaredNorms[queries[r]];
    const row = values.subarray(r * stride, r * stride + to);
    dotsToKernel(kernel, row, from, to, norm, targetRows.squaredNorms, targets);
  }
}

/** Writes query r as column r of a dense [nFeatures x width] matrix (zeros elsewhere). */
function scatterQueries(
  rows: FeatureRows,
  queries: Int32Array,
  nQueries: number,
  out: Float64Array,
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

function sparseDots1(
  rows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  query: Float64Array,
  out: Float64Array,
): void {
  const { rowStart, columns, values } = rows;
  for (let t = from; t < to; t++) {
    const row = targets[t];
    const end = rowStart[row + 1];
    let sum = 0;
    for (let q = rowStart[row]; q < end; q++) sum += query[columns[q]] * values[q];
    out[t] = sum;
  }
}

function sparseDots4(
  rows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  queries: Float64Array,
  out: Float64Array,
  stride: number,
): void {
  const { rowStart, columns, values } = rows;
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

function denseDots1(
  rows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  query: Float64Array,
  out: Float64Array,
): void {
  // Four targets at a time: four independent sums, each still added in feature order, so a
  // value never depends on which path computed it.
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

function denseDots4(
  rows: FeatureRows,
  targets: Int32Array,
  from: number,
  to: number,
  queries: Float64Array,
  out: Float64Array,
  stride: number,
): void {
  const { dense, nFeatures: d } = rows;
  for (let t = from; t < to; t++) {
    const base = targets[t] * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < d; k++) {
      const x = dense[base + k];
      const c = k * 4;
      s0 += queries[c] * x;
      s1 += queries[c + 1] * x;
      s2 += queries[c + 2] * x;
      s3 += queries[c + 3] * x;
    }
    out[t] = s0;
    out[stride + t] = s1;
    out[2 * stride + t] = s2;
    out[3 * stride + t] = s3;
  }
}
