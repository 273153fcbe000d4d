import { kernelsHolding } from './backend.js';
import { allocate, type Allocator } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';
import { StagingArea, wholeCacheLines } from './wasm/staging-area.js';

/**
 * The `size` highest-scoring indices offered since the last {@link clear}, best first (-1 and
 * -Infinity in places not yet taken): a bounded insertion list, cheap when most offers score
 * below the current last place. An SMO solver keeps the runners-up of its working-set selection
 * in one, to compute their kernel rows along with the chosen one's.
 */
export class RunnersUp {
  readonly indices: Int32Array;
  readonly scores: Float64Array;

  /** `allocator` makes the two arrays (a `KernelsArena`'s lets the scans fill them in place). */
  constructor(
    readonly size: number,
    allocator: Allocator = allocate,
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new ValueError(`RunnersUp: size must be an integer >= 1, got ${size}`);
    }
    this.indices = allocator('int32', size);
    this.scores = allocator('float64', size);
    this.clear();
  }

  clear(): void {
    this.indices.fill(-1);
    this.scores.fill(-Infinity);
  }

  /** Offers `index` with `score`; returns the score now in last place (what beats the list). */
  offer(index: number, score: number): number {
    const { indices, scores } = this;
    let at = this.size - 1;
    if (!(score > scores[at])) return scores[at];
    while (at > 0 && score > scores[at - 1]) {
      scores[at] = scores[at - 1];
      indices[at] = indices[at - 1];
      at--;
    }
    scores[at] = score;
    indices[at] = index;
    return scores[this.size - 1];
  }
}

/** Checks that n is an element count that G, sign and (when given) the diagonal hold. */
function checkLength(
  method: string,
  n: number,
  G: Float64Array,
  sign: Float64Array,
  diagonal?: Float64Array,
): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new ValueError(`SmoScans.${method}: n must be an integer >= 0, got ${n}`);
  }
  const short = !(G instanceof Float64Array) || G.length < n ? 'G'
    : !(sign instanceof Float64Array) || sign.length < n ? 'sign'
    : diagonal !== undefined && (!(diagonal instanceof Float64Array) || diagonal.length < n) ? 'diagonal'
    : undefined; // prettier-ignore
  if (short !== undefined) {
    throw new ShapeError(`SmoScans.${method}: ${short} must be a Float64Array of at least n = ${n} elements`); // prettier-ignore
  }
}

/** Checks that rows[at .. at + n) lies inside `rows`. */
function checkRow(method: string, rows: Float32Array, at: number, n: number): void {
  if (!(rows instanceof Float32Array) || !Number.isInteger(at) || at < 0 || at + n > rows.length) {
    throw new ShapeError(`SmoScans.${method}: a row must be rows[at .. at + n) of a Float32Array; got at = ${at}, n = ${n}, ${rows.length} rows values`); // prettier-ignore
  }
}

/** The rows of a {@link SmoScans.scan}, which reads none. */
const NO_ROWS = new Float32Array(0);

/** Where this thread's scans stage rows that live outside its kernels memory. */
const staging = new StagingArea('SmoScans');

/**
 * The two passes over the active set that take most of an SMO iteration's own time (LIBSVM's
 * `select_working_set` and the gradient update of `Solver::Solve`), after the kernel rows:
 *
 * - {@link gradientStep}: G_k += Q_ik delta_i + Q_jk delta_j, then the first half of the next
 *   selection on the new G: the argmax of score_k = sign_k G_k (i of WSS 2, with
 *   sign_k = -y_k for k in I_up). Fusing the two saves a pass over G. {@link scan} is the second
 *   half alone, for when G has not just changed.
 * - {@link secondOrder}: the second half of WSS 2 (Fan, Chen & Lin, JMLR 6, 2005): j among the
 *   candidates (sign_k = y_k for k in I_low) minimizing the objective's decrease
 *   -b^2 / a with b = gMax + y_k G_k > 0 and a = Q_ii + Q_kk - 2 y_i y_k Q_ik.
 *
 * Non-candidates have sign NaN, which fails every comparison, so neither loop tests membership.
 * Each winner is the last index of the best value (one pass with `>=` / `<=` keeps it), and the
 * runners-up lists are offered every score above their last place, in index order.
 *
 * On `'wasm-simd'`, when G, the signs, the diagonal and the lists live in one kernels memory
 * (a `KernelsArena`'s: this thread's, or one of its own), a SIMD kernel runs each pass
 * (assembly/smo-scans.ts), with the rows in place when they live there too and otherwise staged;
 * elsewhere, the JavaScript loops (the reference). Both give the same winners, values, lists and
 * G, bit for bit.
 */
export class SmoScans {
  /** The winning index of the last pass (-1 when there was no candidate). */
  index = -1;
  /** Its value: the highest score, or the least decrease. */
  value = 0;
  /** After {@link secondOrder}: max y_k G_k over the candidates (-Infinity when none). */
  secondMax = -Infinity;
  /** What the kernels write: index, value, secondMax. */
  private readonly out: Float64Array;
  /** Row i of the last {@link secondOrder} (rows[at .. at + n)), at byte `offset` in the kernels memory. */
  private rowI: { rows: Float32Array; at: number; n: number; offset: number } = {
    rows: NO_ROWS,
    at: -1,
    n: 0,
    offset: 0,
  };

  constructor(allocator: Allocator = allocate) {
    this.out = allocator('float64', 3);
  }

  /** The argmax of sign_k G_k for k < n, its value, and offers to `top`. */
  scan(G: Float64Array, sign: Float64Array, n: number, top: RunnersUp): void {
    checkLength('scan', n, G, sign);
    this.step(G, sign, false, NO_ROWS, 0, 0, 0, 0, n, top);
  }

  /**
   * G_k += rows[rowI + k] deltaI + rows[rowJ + k] deltaJ for k < n (rowI, rowJ: offsets into
   * `rows`), then {@link scan}. Row i is read where the last {@link secondOrder} found it when
   * that call named the same row and n: its values must not have changed since (within one SMO
   * iteration they do not).
   */
  gradientStep(
    G: Float64Array,
    sign: Float64Array,
    rows: Float32Array,
    rowI: number,
    deltaI: number,
    rowJ: number,
    deltaJ: number,
    n: number,
    top: RunnersUp,
  ): void {
    checkLength('gradientStep', n, G, sign);
    checkRow('gradientStep', rows, rowI, n);
    checkRow('gradientStep', rows, rowJ, n);
    this.step(G, sign, true, rows, rowI, deltaI, rowJ, deltaJ, n, top);
  }

  /**
   * j = the last k < n of the least decrease -b^2 / a over the candidates with
   * b = gMax + sign_k G_k > 0, where a = (qdI + diagonal_k) - (twoYi sign_k) rows[rowI + k],
   * or `tau` when a is not positive; its decrease, max sign_k G_k, and offers of -decrease to `top`.
   */
  secondOrder(
    G: Float64Array,
    sign: Float64Array,
    diagonal: Float64Array,
    rows: Float32Array,
    rowI: number,
    n: number,
    gMax: number,
    qdI: number,
    twoYi: number,
    tau: number,
    top: RunnersUp,
  ): void {
    checkLength('secondOrder', n, G, sign, diagonal);
    checkRow('secondOrder', rows, rowI, n);
    top.clear();
    const { out } = this;
    const kernels = kernelsHolding(G, sign, diagonal, top.scores, top.indices, out);
    if (kernels === undefined) {
      secondOrderJs(G, sign, diagonal, rows, rowI, n, gMax, qdI, twoYi, tau, top, out);
    } else {
      const rowAt = rowIn(kernels, rows, rowI, n, 0);
      const last = this.rowI;
      last.rows = rows;
      last.at = rowI;
      last.n = n;
      last.offset = rowAt;
      kernels.exports.smoSecondOrderScan(kernels.offsetOf(G), kernels.offsetOf(sign), kernels.offsetOf(diagonal), rowAt, n, gMax, qdI, twoYi, tau, kernels.offsetOf(top.scores), kernels.offsetOf(top.indices), top.size, kernels.offsetOf(out)); // prettier-ignore
    }
    this.index = out[0];
    this.value = out[1];
    this.secondMax = out[2];
  }

  private step(
    G: Float64Array,
    sign: Float64Array,
    update: boolean,
    rows: Float32Array,
    rowI: number,
    deltaI: number,
    rowJ: number,
    deltaJ: number,
    n: number,
    top: RunnersUp,
  ): void {
    top.clear();
    const { out } = this;
    const kernels = kernelsHolding(G, sign, top.scores, top.indices, out);
    if (kernels === undefined) {
      stepJs(G, sign, update, rows, rowI, deltaI, rowJ, deltaJ, n, top, out);
    } else {
      let iAt = 0;
      let jAt = 0;
      if (update) {
        // Row i is usually the row of the iteration's secondOrder, already where it is needed.
        const last = this.rowI;
        const same = last.rows === rows && last.at === rowI && last.n === n;
        iAt = same ? last.offset : rowIn(kernels, rows, rowI, n, 1);
        jAt = rowIn(kernels, rows, rowJ, n, 2);
      }
      this.rowI.at = -1;
      kernels.exports.smoGradientStep(kernels.offsetOf(G), kernels.offsetOf(sign), update ? 1 : 0, iAt, deltaI, jAt, deltaJ, n, kernels.offsetOf(top.scores), kernels.offsetOf(top.indices), top.size, kernels.offsetOf(out)); // prettier-ignore
    }
    this.index = out[0];
    this.value = out[1];
  }
}

/**
 * The byte offset of rows[at .. at + n) in the kernels memory: in place when the rows live
 * there, else copied into staging slot `slot` (0, 1 or 2; slots of one n do not move).
 */
function rowIn(
  kernels: WasmKernels,
  rows: Float32Array,
  at: number,
  n: number,
  slot: number,
): number {
  const offset = kernels.offsetOf(rows);
  if (offset >= 0) return offset + 4 * at;
  const bytes = wholeCacheLines(4 * n);
  const staged = staging.reserve(kernels, 3 * bytes) + slot * bytes;
  kernels.floats().set(rows.subarray(at, at + n), staged / 4);
  return staged;
}

function stepJs(
  G: Float64Array,
  sign: Float64Array,
  update: boolean,
  rows: Float32Array,
  rowI: number,
  deltaI: number,
  rowJ: number,
  deltaJ: number,
  n: number,
  top: RunnersUp,
  out: Float64Array,
): void {
  let best = -Infinity;
  let bestAt = -1;
  let last = -Infinity;
  for (let k = 0; k < n; k++) {
    let g = G[k];
    if (update) {
      g += rows[rowI + k] * deltaI + rows[rowJ + k] * deltaJ;
      G[k] = g;
    }
    const score = sign[k] * g;
    if (score >= best) {
      best = score;
      bestAt = k;
    }
    if (score > last) last = top.offer(k, score);
  }
  out[0] = bestAt;
  out[1] = best;
}

function secondOrderJs(
  G: Float64Array,
  sign: Float64Array,
  diagonal: Float64Array,
  rows: Float32Array,
  rowI: number,
  n: number,
  gMax: number,
  qdI: number,
  twoYi: number,
  tau: number,
  top: RunnersUp,
  out: Float64Array,
): void {
  let secondMax = -Infinity;
  let best = Infinity;
  let bestAt = -1;
  let last = -Infinity;
  for (let k = 0; k < n; k++) {
    const s = sign[k];
    const yG = s * G[k];
    if (yG >= secondMax) secondMax = yG;
    const gradDiff = gMax + yG;
    if (gradDiff > 0) {
      const curvature = qdI + diagonal[k] - twoYi * s * rows[rowI + k];
      const decrease = -(gradDiff * gradDiff) / (curvature > 0 ? curvature : tau);
      if (decrease <= best) {
        best = decrease;
        bestAt = k;
      }
      if (-decrease > last) last = top.offer(k, -decrease);
    }
  }
  out[0] = bestAt;
  out[1] = best;
  out[2] = secondMax;
}
