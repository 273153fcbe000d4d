import type { ClassBlockStore, ClassGrouping } from './class-blocks.js';
import type { FeatureRows } from './feature-rows.js';
import type { Kernel } from './kernel.js';
import { BLOCK_ROWS, kernelRows } from './kernel-rows.js';
import { solveSmo, type SmoOptions, type SmoSolution } from './smo-solver.js';
import type { SolverWorkspace } from './solver-workspace.js';
import { SvcQMatrix } from './svc-q-matrix.js';

/** A two-class C-SVC: f(x) = sum_s coef_s K(x_s, x) - rho, positive for the class y = +1. */
export interface BinarySvc {
  /** alpha_s y_s of each sample of the problem (0 for non-support vectors), in problem order. */
  coef: Float64Array;
  rho: number;
  iterations: number;
  hitIterationCap: boolean;
}

/**
 * Trains a two-class C-SVC on the samples `members` (indices into `rows`) labelled `y` (+1 or
 * -1): solves the dual with SMO and returns the signed dual coefficients alpha_i y_i.
 * `classBlocks`, when given, shares within-class kernel rows with other problems (the samples
 * of y = +1 must then all be of one class of `grouping`, and those of y = -1 of another).
 * `boundOfRow`, when given, is the upper bound C_r of the alpha of each row r of `rows`
 * (LIBSVM's weighted C); otherwise every alpha's bound is `options.C`.
 */
export function trainBinarySvc(
  kernel: Kernel,
  rows: FeatureRows,
  members: Int32Array,
  y: Int8Array,
  options: SmoOptions,
  workspace: SolverWorkspace,
  classBlocks?: { store: ClassBlockStore; grouping: ClassGrouping },
  boundOfRow: Float64Array | null = null,
): BinarySvc {
  const l = members.length;
  const scratch = workspace.rowsScratch(Math.max(l, classBlocks?.store.blockLength ?? 0));
  let bounds: Float64Array | null = null;
  if (boundOfRow !== null) {
    bounds = new Float64Array(l);
    for (let i = 0; i < l; i++) bounds[i] = boundOfRow[members[i]];
  }
  // The solver's per-sample arrays beside the kernel cache, where its scans can run in place.
  const arena = workspace.solverArena();
  let solution: SmoSolution;
  try {
    const cache = workspace.cache(l);
    const q = new SvcQMatrix(kernel, rows, members, y, cache, scratch, classBlocks, arena.allocate);
    solution = solveSmo(q, y, options, bounds, arena.allocate);
  } finally {
    arena.release();
  }
  const coef = new Float64Array(l);
  for (let i = 0; i < l; i++) coef[i] = solution.alpha[i] * y[i];
  return {
    coef,
    rho: solution.rho,
    iterations: solution.iterations,
    hitIterationCap: solution.hitIterationCap,
  };
}

/**
 * f(x) of a {@link BinarySvc} trained on `members`, for the rows `queries` (indices into `rows`),
 * into `out` (one value per query). Only support vectors (coef != 0) are visited.
 */
export function binaryDecisionValues(
  kernel: Kernel,
  rows: FeatureRows,
  members: Int32Array,
  model: BinarySvc,
  queries: Int32Array,
  out: Float64Array,
  workspace: SolverWorkspace,
): void {
  let count = 0;
  for (let i = 0; i < members.length; i++) if (model.coef[i] !== 0) count++;
  const support = new Int32Array(count);
  const coef = new Float64Array(count);
  count = 0;
  for (let i = 0; i < members.length; i++) {
    if (model.coef[i] !== 0) {
      support[count] = members[i];
      coef[count++] = model.coef[i];
    }
  }
  const scratch = workspace.rowsScratch(count);
  const block = new Int32Array(BLOCK_ROWS);
  for (let start = 0; start < queries.length; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, queries.length - start);
    for (let r = 0; r < n; r++) block[r] = queries[start + r];
    kernelRows(kernel, rows, block, n, rows, support, 0, count, scratch);
    for (let r = 0; r < n; r++) {
      const base = r * scratch.stride;
      let sum = 0;
      for (let s = 0; s < count; s++) sum += coef[s] * scratch.values[base + s];
      out[start + r] = sum - model.rho;
    }
  }
}
