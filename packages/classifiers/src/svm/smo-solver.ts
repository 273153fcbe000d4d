import { allocate, RunnersUp, SmoScans, type Allocator } from '@typedlearn/tensor';
import { BLOCK_ROWS } from './kernel-rows.js';
import type { SvcQMatrix } from './svc-q-matrix.js';

/** Settings of one {@link solveSmo} run. */
export interface SmoOptions {
  /** Upper bound C of every alpha (unless {@link solveSmo} is given bounds per variable). */
  C: number;
  /** Stopping tolerance on the maximal violation m(alpha) - M(alpha) (LIBSVM's `eps`). */
  tol: number;
  /** Temporarily remove variables that are bound at the optimum (Joachims 1999, LIBSVM). */
  shrinking: boolean;
  /** Most iterations; -1 for LIBSVM's safety cap max(10^7, 100 l). */
  maxIter: number;
}

/** The optimum found by {@link solveSmo}. */
export interface SmoSolution {
  /** alpha_i in [0, C_i] of every sample, in the problem's original order. */
  alpha: Float64Array;
  /** The decision function is f(x) = sum_i alpha_i y_i K(x_i, x) - rho. */
  rho: number;
  /** The dual objective 1/2 alpha'Q alpha - e'alpha at the solution. */
  objective: number;
  iterations: number;
  /** True when the solver stopped at the iteration cap before meeting `tol`. */
  hitIterationCap: boolean;
}

const LOWER = 0;
const UPPER = 1;
const FREE = 2;
/** LIBSVM's TAU: the curvature used when a pair's second-order term is not positive. */
const TAU = 1e-12;
/**
 * How many runners-up of each side of the working-set selection are remembered. When a kernel
 * row must be computed, uncached runners-up are computed with it (they are the rows the next
 * iterations most likely select). With 8 a side, late in a solve every runner-up is often
 * cached already and a row is computed alone, at about 3.5 times the cost per value of a block;
 * 16 a side finds more to fill the block (the 60,000-digit fit: 30.0 -> 27-29 s; 32: no better).
 */
const RUNNERS_UP = 16;

/**
 * Solves the C-SVC dual
 *
 *   min_alpha 1/2 alpha'Q alpha - e'alpha   subject to   y'alpha = 0,  0 <= alpha_i <= C_i
 *
 * by sequential minimal optimization as LIBSVM does (Fan, Chen & Lin, "Working set selection
 * using second order information for training SVM", JMLR 6, 2005): each iteration picks the
 * pair (i, j) by second-order working-set selection (WSS 2), solves the two-variable
 * sub-problem exactly and updates the gradient G = Q alpha - e. It stops when the maximal
 * violation m(alpha) - M(alpha) is below `tol`. With shrinking, bound variables that are
 * unlikely to move leave the active set; the gradient of the others is rebuilt (from
 * G_bar = sum over alpha_j = C_j of C_j Q_j) before the final check.
 *
 * Every C_i is `options.C`, or `upperBounds[i]` when given: LIBSVM's weighted C-SVC, whose
 * `Solver` takes a bound per variable (`get_C(i)`; C_i = W_i C_{y_i} with instance weights,
 * the "weights for data instances" extension of LIBSVM that scikit-learn builds in). The
 * sub-problem of a pair (i, j) is then clipped to its own box [0, C_i] x [0, C_j], as LIBSVM
 * clips it; with equal bounds every step is the plain C-SVC's, bit for bit.
 */
export function solveSmo(
  q: SvcQMatrix,
  y: Int8Array,
  options: SmoOptions,
  upperBounds: Float64Array | null = null,
  allocator: Allocator = allocate,
): SmoSolution {
  return new SmoSolver(q, y, options, upperBounds, allocator).solve();
}

class SmoSolver {
  private readonly l: number;
  private activeSize: number;
  private readonly y: Int8Array;
  /** Gradient of the objective, G_i = (Q alpha)_i - 1. */
  private readonly G: Float64Array;
  /** G_bar_i = sum_{j at upper bound} C_j Q_ij, kept to rebuild G of shrunk variables. */
  private readonly Gbar: Float64Array;
  private readonly alpha: Float64Array;
  /** The upper bound C_i of each alpha_i (swapped along with it). */
  private readonly bound: Float64Array;
  private readonly status: Uint8Array;
  /** -y_t where t is in I_up (y_t alpha_t can increase), NaN elsewhere: -y_t G_t is t's score. */
  private readonly upSign: Float64Array;
  /** y_t where t is in I_low (y_t alpha_t can decrease), NaN elsewhere. */
  private readonly lowSign: Float64Array;
  /** The original index of the sample now at each position. */
  private readonly activeSet: Int32Array;
  private readonly tol: number;
  private unshrink = false;
  /** The working set chosen by the last successful {@link selectWorkingSet}. */
  private workingI = -1;
  private workingJ = -1;
  /** The result of the last {@link scanUp}, valid while `upScanned`. */
  private bestUp = -1;
  private gMaxUp = -Infinity;
  private upScanned = false;
  private readonly batch = new Int32Array(BLOCK_ROWS);
  /** Runners-up for i (largest -y_t G_t) and j (largest objective decrease). */
  private readonly nextI: RunnersUp;
  private readonly nextJ: RunnersUp;
  /** The passes over the active set that select i and j and update G. */
  private readonly scans: SmoScans;
  /** Both runner-up lists interleaved, j's first: the rows to compute along with row j. */
  private readonly likelyJ = new Int32Array(2 * RUNNERS_UP);
  private readonly offsets = new Int32Array(BLOCK_ROWS);
  private readonly coefs = new Float64Array(BLOCK_ROWS);

  constructor(
    private readonly q: SvcQMatrix,
    y: Int8Array,
    private readonly options: SmoOptions,
    upperBounds: Float64Array | null,
    allocator: Allocator,
  ) {
    const l = y.length;
    this.l = l;
    this.activeSize = l;
    this.y = Int8Array.from(y);
    this.bound = upperBounds === null ? new Float64Array(l).fill(options.C) : upperBounds.slice();
    this.tol = options.tol;
    // alpha = 0 is feasible, and there G = -e and G_bar = 0.
    this.alpha = new Float64Array(l);
    this.status = new Uint8Array(l).fill(LOWER);
    this.upSign = allocator('float64', l);
    this.lowSign = allocator('float64', l);
    for (let i = 0; i < l; i++) this.updateSigns(i);
    this.G = allocator('float64', l).fill(-1);
    this.nextI = new RunnersUp(RUNNERS_UP, allocator);
    this.nextJ = new RunnersUp(RUNNERS_UP, allocator);
    this.scans = new SmoScans(allocator);
    this.Gbar = new Float64Array(l);
    this.activeSet = new Int32Array(l);
    for (let i = 0; i < l; i++) this.activeSet[i] = i;
  }

  solve(): SmoSolution {
    const { l, q, y, G, alpha, bound } = this;
    const data = q.data;
    const QD = q.diagonal;
    const cap =
      this.options.maxIter >= 0
        ? this.options.maxIter
        : Math.max(10_000_000, Math.min(100 * l, 2 ** 31 - 1));
    const shrinkEvery = Math.min(l, 1000);
    let counter = shrinkEvery + 1;
    let iterations = 0;

    while (iterations < cap) {
      if (--counter === 0) {
        counter = shrinkEvery;
        if (this.options.shrinking) this.shrink();
      }
      if (!this.selectWorkingSet()) {
        // Optimal on the active set: rebuild the whole gradient and check again.
        this.reconstructGradient();
        this.activeSize = l;
        if (!this.selectWorkingSet()) break;
        counter = 1; // shrink at the next iteration
      }
      iterations++;
      const i = this.workingI;
      const j = this.workingJ;
      const active = this.activeSize;
      const rowI = q.row(i, active);
      const rowJ = q.row(j, active, this.likelyJ);
      const Ci = bound[i];
      const Cj = bound[j];
      const oldI = alpha[i];
      const oldJ = alpha[j];

      // The two-variable sub-problem along y_i alpha_i + y_j alpha_j = const, clipped to the
      // box [0, C_i] x [0, C_j] (LIBSVM's clipping, written for unequal bounds).
      if (y[i] !== y[j]) {
        let curvature = QD[i] + QD[j] + 2 * data[rowI + j];
        if (curvature <= 0) curvature = TAU;
        const delta = (-G[i] - G[j]) / curvature;
        const diff = alpha[i] - alpha[j];
        alpha[i] += delta;
        alpha[j] += delta;
        if (diff > 0) {
          if (alpha[j] < 0) {
            alpha[j] = 0;
            alpha[i] = diff;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = -diff;
        }
        if (diff > Ci - Cj) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = Ci - diff;
          }
        } else if (alpha[j] > Cj) {
          alpha[j] = Cj;
          alpha[i] = Cj + diff;
        }
      } else {
        let curvature = QD[i] + QD[j] - 2 * data[rowI + j];
        if (curvature <= 0) curvature = TAU;
        const delta = (G[i] - G[j]) / curvature;
        const sum = alpha[i] + alpha[j];
        alpha[i] -= delta;
        alpha[j] += delta;
        if (sum > Ci) {
          if (alpha[i] > Ci) {
            alpha[i] = Ci;
            alpha[j] = sum - Ci;
          }
        } else if (alpha[j] < 0) {
          alpha[j] = 0;
          alpha[i] = sum;
        }
        if (sum > Cj) {
          if (alpha[j] > Cj) {
            alpha[j] = Cj;
            alpha[i] = sum - Cj;
          }
        } else if (alpha[i] < 0) {
          alpha[i] = 0;
          alpha[j] = sum;
        }
      }

      const wasUpperI = this.status[i] === UPPER;
      const wasUpperJ = this.status[j] === UPPER;
      this.updateStatus(i);
      this.updateStatus(j);
      this.updateGradient(rowI, alpha[i] - oldI, rowJ, alpha[j] - oldJ);
      if (wasUpperI !== (this.status[i] === UPPER)) this.updateGbar(i, wasUpperI ? -Ci : Ci);
      if (wasUpperJ !== (this.status[j] === UPPER)) this.updateGbar(j, wasUpperJ ? -Cj : Cj);
    }

    const hitIterationCap = iterations >= cap;
    if (hitIterationCap && this.activeSize < l) {
      this.reconstructGradient();
      this.activeSize = l;
    }
    const rho = this.calculateRho();
    let objective = 0;
    for (let i = 0; i < l; i++) objective += alpha[i] * (G[i] - 1);
    const original = new Float64Array(l);
    for (let i = 0; i < l; i++) original[this.activeSet[i]] = alpha[i];
    return { alpha: original, rho, objective: objective / 2, iterations, hitIterationCap };
  }

  /**
   * WSS 2 of Fan, Chen & Lin (2005): i maximizes -y_t G_t over I_up; j, among the t in I_low
   * with -y_t G_t < -y_i G_i, minimizes the sub-problem's objective decrease
   * -(b_it)^2 / a_it with b_it = -y_i G_i + y_t G_t and a_it = Q_ii + Q_tt - 2 y_i y_t Q_it.
   * Returns false when the maximal violation is below tol (the active set is optimal).
   * Both choices' runners-up are remembered, to be computed along with rows i and j.
   */
  private selectWorkingSet(): boolean {
    const { G, lowSign, activeSize, nextI, nextJ, scans } = this;
    if (!this.upScanned) this.scanUp();
    const i = this.bestUp;
    const gMax = this.gMaxUp;
    const QD = this.q.diagonal;
    const rowI = i >= 0 ? this.q.row(i, activeSize, nextI.indices) : 0;
    // The curvature's cross term 2 y_i y_t Q_it: y_t is t's lowSign.
    const twoYi = i >= 0 ? 2 * this.y[i] : 0;
    const qdI = i >= 0 ? QD[i] : 0;
    scans.secondOrder(G, lowSign, QD, this.q.data, rowI, activeSize, gMax, qdI, twoYi, TAU, nextJ); // prettier-ignore
    if (gMax + scans.secondMax < this.tol || scans.index === -1) return false;
    interleave(nextJ.indices, nextI.indices, this.likelyJ);
    this.workingI = i;
    this.workingJ = scans.index;
    return true;
  }

  /**
   * The first half of the selection: i = argmax -y_t G_t over I_up (the last such t on ties),
   * its value gMaxUp, and i's runners-up.
   */
  private scanUp(): void {
    this.scans.scan(this.G, this.upSign, this.activeSize, this.nextI);
    this.bestUp = this.scans.index;
    this.gMaxUp = this.scans.value;
    this.upScanned = true;
  }

  /**
   * G_k += Q_ik delta_i + Q_jk delta_j over the active set, and with it {@link scanUp} for the
   * next selection. The statuses must be current (the scores read them through upSign).
   */
  private updateGradient(rowI: number, deltaI: number, rowJ: number, deltaJ: number): void {
    const { scans } = this;
    scans.gradientStep(this.G, this.upSign, this.q.data, rowI, deltaI, rowJ, deltaJ, this.activeSize, this.nextI); // prettier-ignore
    this.bestUp = scans.index;
    this.gMaxUp = scans.value;
    this.upScanned = true;
  }

  private updateStatus(i: number): void {
    const a = this.alpha[i];
    this.status[i] = a >= this.bound[i] ? UPPER : a <= 0 ? LOWER : FREE;
    this.updateSigns(i);
  }

  /** upSign and lowSign of position i from its y and status. */
  private updateSigns(i: number): void {
    const y = this.y[i];
    const s = this.status[i];
    this.upSign[i] = s === (y === 1 ? UPPER : LOWER) ? NaN : -y;
    this.lowSign[i] = s === (y === 1 ? LOWER : UPPER) ? NaN : y;
  }

  /** G_bar += scale * Q_i over all l entries (alpha_i reached or left the upper bound). */
  private updateGbar(i: number, scale: number): void {
    const { l, Gbar } = this;
    const data = this.q.data;
    const row = this.q.row(i, l);
    for (let k = 0; k < l; k++) Gbar[k] += scale * data[row + k];
  }

  /** True when variable i is bound and its gradient says it will stay bound (LIBSVM's be_shrunk). */
  private canShrink(i: number, gMax1: number, gMax2: number): boolean {
    const s = this.status[i];
    if (s === UPPER) return this.y[i] === 1 ? -this.G[i] > gMax1 : -this.G[i] > gMax2;
    if (s === LOWER) return this.y[i] === 1 ? this.G[i] > gMax2 : this.G[i] > gMax1;
    return false;
  }

  /**
   * Moves shrinkable variables behind the active set. The first time the violation is within
   * 10 tol, the full gradient is rebuilt and everything is reactivated once (LIBSVM's unshrink),
   * so variables shrunk too early get another chance.
   */
  private shrink(): void {
    this.upScanned = false;
    const { y, G, status } = this;
    let gMax1 = -Infinity; // max { -y_i G_i | i in I_up }
    let gMax2 = -Infinity; // max { y_i G_i | i in I_low }
    for (let i = 0; i < this.activeSize; i++) {
      if (y[i] === 1) {
        if (status[i] !== UPPER && -G[i] >= gMax1) gMax1 = -G[i];
        if (status[i] !== LOWER && G[i] >= gMax2) gMax2 = G[i];
      } else {
        if (status[i] !== UPPER && -G[i] >= gMax2) gMax2 = -G[i];
        if (status[i] !== LOWER && G[i] >= gMax1) gMax1 = G[i];
      }
    }
    if (!this.unshrink && gMax1 + gMax2 <= this.tol * 10) {
      this.unshrink = true;
      this.reconstructGradient();
      this.activeSize = this.l;
    }
    for (let i = 0; i < this.activeSize; i++) {
      if (!this.canShrink(i, gMax1, gMax2)) continue;
      this.activeSize--;
      while (this.activeSize > i) {
        if (!this.canShrink(this.activeSize, gMax1, gMax2)) {
          this.swapIndex(i, this.activeSize);
          break;
        }
        this.activeSize--;
      }
    }
  }

  /**
   * Rebuilds G of the inactive variables: G_j = G_bar_j - 1 + sum over free i of alpha_i Q_ij,
   * either row by row over the inactive j or column by column over the free i, whichever
   * computes fewer kernel values (LIBSVM's rule); rows come {@link BLOCK_ROWS} at a time.
   */
  private reconstructGradient(): void {
    this.upScanned = false;
    const { l, activeSize, G, Gbar, alpha, status, batch, offsets, coefs } = this;
    if (activeSize === l) return;
    const data = this.q.data;
    for (let j = activeSize; j < l; j++) G[j] = Gbar[j] - 1;
    let freeCount = 0;
    for (let j = 0; j < activeSize; j++) if (status[j] === FREE) freeCount++;

    if (freeCount * l > 2 * activeSize * (l - activeSize)) {
      for (let start = activeSize; start < l; start += BLOCK_ROWS) {
        const count = Math.min(BLOCK_ROWS, l - start);
        for (let r = 0; r < count; r++) batch[r] = start + r;
        this.q.rowBlock(batch, count, activeSize, offsets);
        for (let r = 0; r < count; r++) {
          const row = offsets[r];
          let sum = 0;
          for (let j = 0; j < activeSize; j++)
            if (status[j] === FREE) sum += alpha[j] * data[row + j];
          G[start + r] += sum;
        }
      }
    } else {
      let count = 0;
      for (let i = 0; i <= activeSize; i++) {
        if (i < activeSize && status[i] === FREE) batch[count++] = i;
        if (count === BLOCK_ROWS || (i === activeSize && count > 0)) {
          this.q.rowBlock(batch, count, l, offsets);
          for (let r = 0; r < count; r++) coefs[r] = alpha[batch[r]];
          // A full block in one pass over G (each G_j still adds the rows' terms in block
          // order, so the same sums): G is loaded and stored once instead of 8 times.
          if (count === 8) {
            const [a0, a1, a2, a3, a4, a5, a6, a7] = coefs;
            const [o0, o1, o2, o3, o4, o5, o6, o7] = offsets;
            for (let j = activeSize; j < l; j++) {
              let g = G[j];
              g += a0 * data[o0 + j];
              g += a1 * data[o1 + j];
              g += a2 * data[o2 + j];
              g += a3 * data[o3 + j];
              g += a4 * data[o4 + j];
              g += a5 * data[o5 + j];
              g += a6 * data[o6 + j];
              g += a7 * data[o7 + j];
              G[j] = g;
            }
          } else {
            for (let r = 0; r < count; r++) {
              const row = offsets[r];
              const a = coefs[r];
              for (let j = activeSize; j < l; j++) G[j] += a * data[row + j];
            }
          }
          count = 0;
        }
      }
    }
  }

  private calculateRho(): number {
    const { y, G, status } = this;
    let upper = Infinity;
    let lower = -Infinity;
    let freeCount = 0;
    let freeSum = 0;
    for (let i = 0; i < this.activeSize; i++) {
      const yG = y[i] * G[i];
      if (status[i] === UPPER) {
        if (y[i] === -1) upper = Math.min(upper, yG);
        else lower = Math.max(lower, yG);
      } else if (status[i] === LOWER) {
        if (y[i] === 1) upper = Math.min(upper, yG);
        else lower = Math.max(lower, yG);
      } else {
        freeCount++;
        freeSum += yG;
      }
    }
    // Free variables pin rho exactly (KKT: y_i G_i = rho); otherwise any value in [lower, upper] works.
    return freeCount > 0 ? freeSum / freeCount : (upper + lower) / 2;
  }

  private swapIndex(i: number, j: number): void {
    this.q.swapIndex(i, j);
    swap(this.y, i, j);
    swap(this.G, i, j);
    swap(this.status, i, j);
    swap(this.upSign, i, j);
    swap(this.lowSign, i, j);
    swap(this.alpha, i, j);
    swap(this.bound, i, j);
    swap(this.activeSet, i, j);
    swap(this.Gbar, i, j);
  }
}

/** out = a[0], b[0], a[1], b[1], ... */
function interleave(a: Int32Array, b: Int32Array, out: Int32Array): void {
  for (let r = 0; r < a.length; r++) {
    out[2 * r] = a[r];
    out[2 * r + 1] = b[r];
  }
}

function swap(a: Int8Array | Uint8Array | Int32Array | Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
