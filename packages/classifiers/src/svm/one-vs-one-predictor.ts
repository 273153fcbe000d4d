import { toFeatureRows, type FeatureRows } from './feature-rows.js';
import { BLOCK_ROWS, KernelRowsScratch, float32KernelSums, kernelRows } from './kernel-rows.js';
import { pairCount, pairIndex, type OneVsOneModel } from './one-vs-one-model.js';
import { PairwiseCoupling } from './pairwise-coupling.js';
import { sigmoidProbability } from './platt-scaling.js';

/** LIBSVM clips pairwise probabilities to [MIN_PAIR_PROBABILITY, 1 - MIN_PAIR_PROBABILITY]. */
const MIN_PAIR_PROBABILITY = 1e-7;

/**
 * Evaluates a {@link OneVsOneModel}. Each test row's kernel values against the support vectors
 * are computed once, {@link BLOCK_ROWS} test rows per pass over the support vectors (a small
 * matrix product), and shared by all k(k-1)/2 machines.
 *
 * A test row whose norm passes {@link float32KernelSums}'s error bound against the support
 * vectors has its kernel values summed in float32, the others in float64: each row's answer
 * depends on that row alone, never on the rows predicted with it.
 */
export class OneVsOnePredictor {
  private readonly supportRows: FeatureRows;
  /** The support vectors with `sums: 'float32'`. */
  private readonly supportRows32: FeatureRows;
  private readonly everySupportVector: Int32Array;
  /** Class c's support vectors are [supportStart[c], supportStart[c + 1]). */
  private readonly supportStart: Int32Array;
  private readonly pairs: [number, number][];

  /**
   * @param sums `'auto'`: float32 sums for the test rows that pass the bound; `'float64'`: none
   *   (the SVC's `kernelSums`).
   */
  constructor(
    private readonly model: OneVsOneModel,
    private readonly sums: 'auto' | 'float64',
  ) {
    this.supportRows = toFeatureRows(model.supportVectors);
    this.supportRows32 = { ...this.supportRows, sums: 'float32' };
    const nSV = this.supportRows.count;
    this.everySupportVector = new Int32Array(nSV);
    for (let s = 0; s < nSV; s++) this.everySupportVector[s] = s;
    this.supportStart = new Int32Array(model.nClasses + 1);
    for (let c = 0; c < model.nClasses; c++) {
      this.supportStart[c + 1] = this.supportStart[c] + model.nSupport[c];
    }
    this.pairs = pairIndex(model.nClasses);
  }

  /** f_p(x) of every row of `X` and pair p, row-major [rows x pairs]. */
  decisionValues(X: FeatureRows): Float64Array {
    const { model, supportRows } = this;
    const nSV = supportRows.count;
    const out = new Float64Array(X.count * this.pairs.length);
    const scratch = new KernelRowsScratch(X.nFeatures, nSV);
    const block = new Int32Array(BLOCK_ROWS);
    for (const { rows, support } of this.byPrecision(X)) {
      for (let start = 0; start < rows.length; start += BLOCK_ROWS) {
        const n = Math.min(BLOCK_ROWS, rows.length - start);
        for (let r = 0; r < n; r++) block[r] = rows[start + r];
        kernelRows(model.kernel, X, block, n, support, this.everySupportVector, 0, nSV, scratch);
        if (n === BLOCK_ROWS) this.combine8(scratch, block, out);
        else for (let r = 0; r < n; r++) this.combine1(scratch, r, block[r], out);
      }
    }
    return out;
  }

  /** The rows of X whose kernel values may be summed in float32, and the others. */
  private byPrecision(X: FeatureRows): { rows: Int32Array; support: FeatureRows }[] {
    const { kernel } = this.model;
    const single: number[] = [];
    const double: number[] = [];
    for (let i = 0; i < X.count; i++) {
      const ok =
        this.sums === 'auto' && float32KernelSums(kernel, this.supportRows, X.squaredNorms[i]);
      (ok ? single : double).push(i);
    }
    return [
      { rows: Int32Array.from(single), support: this.supportRows32 },
      { rows: Int32Array.from(double), support: this.supportRows },
    ];
  }

  /**
   * out[row, p] = f_p of the test row whose kernel values are row r of `scratch`: class a's
   * support vectors with coefficients dualCoef[b - 1], then class b's with dualCoef[a], summed in
   * that order, plus the intercept.
   */
  private combine1(scratch: KernelRowsScratch, r: number, row: number, out: Float64Array): void {
    const { model, supportStart, pairs } = this;
    const nSV = this.supportRows.count;
    const coef = model.dualCoef;
    const { values, stride } = scratch;
    const kernelBase = r * stride;
    const outBase = row * pairs.length;
    for (let p = 0; p < pairs.length; p++) {
      const [a, b] = pairs[p];
      let sum = 0;
      const coefA = (b - 1) * nSV;
      for (let s = supportStart[a]; s < supportStart[a + 1]; s++) {
        sum += coef[coefA + s] * values[kernelBase + s];
      }
      const coefB = a * nSV;
      for (let s = supportStart[b]; s < supportStart[b + 1]; s++) {
        sum += coef[coefB + s] * values[kernelBase + s];
      }
      out[outBase + p] = sum + model.intercept[p];
    }
  }

  /**
   * {@link combine1} for the 8 rows of `scratch` (test rows `rows[0..8)`), each summed in the same
   * order: each coefficient is loaded once for eight independent sums, which keeps the adds of
   * one step from waiting for each other.
   */
  private combine8(scratch: KernelRowsScratch, rows: Int32Array, out: Float64Array): void {
    const { model, supportStart, pairs } = this;
    const nSV = this.supportRows.count;
    const nPairs = pairs.length;
    const coef = model.dualCoef;
    const { values, stride } = scratch;
    const k0 = 0;
    const k1 = k0 + stride;
    const k2 = k1 + stride;
    const k3 = k2 + stride;
    const k4 = k3 + stride;
    const k5 = k4 + stride;
    const k6 = k5 + stride;
    const k7 = k6 + stride;
    const o0 = rows[0] * nPairs;
    const o1 = rows[1] * nPairs;
    const o2 = rows[2] * nPairs;
    const o3 = rows[3] * nPairs;
    const o4 = rows[4] * nPairs;
    const o5 = rows[5] * nPairs;
    const o6 = rows[6] * nPairs;
    const o7 = rows[7] * nPairs;
    for (let p = 0; p < nPairs; p++) {
      const [a, b] = pairs[p];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let side = 0; side < 2; side++) {
        const c = side === 0 ? a : b;
        const coefRow = (side === 0 ? b - 1 : a) * nSV;
        for (let s = supportStart[c]; s < supportStart[c + 1]; s++) {
          const w = coef[coefRow + s];
          s0 += w * values[k0 + s];
          s1 += w * values[k1 + s];
          s2 += w * values[k2 + s];
          s3 += w * values[k3 + s];
          s4 += w * values[k4 + s];
          s5 += w * values[k5 + s];
          s6 += w * values[k6 + s];
          s7 += w * values[k7 + s];
        }
      }
      const intercept = model.intercept[p];
      out[o0 + p] = s0 + intercept;
      out[o1 + p] = s1 + intercept;
      out[o2 + p] = s2 + intercept;
      out[o3 + p] = s3 + intercept;
      out[o4 + p] = s4 + intercept;
      out[o5 + p] = s5 + intercept;
      out[o6 + p] = s6 + intercept;
      out[o7 + p] = s7 + intercept;
    }
  }

  /**
   * The class index with the most pairwise wins (f_p > 0 is a win for the pair's first class);
   * ties go to the lowest class index, as in LIBSVM.
   */
  predict(X: FeatureRows): Int32Array {
    const k = this.model.nClasses;
    const nPairs = pairCount(k);
    const decision = this.decisionValues(X);
    const predicted = new Int32Array(X.count);
    const votes = new Int32Array(k);
    // The pairs' classes as two flat arrays: the loop below runs once per row and pair.
    const first = Int32Array.from(this.pairs, ([a]) => a);
    const second = Int32Array.from(this.pairs, ([, b]) => b);
    for (let i = 0; i < X.count; i++) {
      for (let c = 0; c < k; c++) votes[c] = 0;
      for (let p = 0; p < nPairs; p++) {
        votes[decision[i * nPairs + p] > 0 ? first[p] : second[p]]++;
      }
      let best = 0;
      for (let c = 1; c < k; c++) if (votes[c] > votes[best]) best = c;
      predicted[i] = best;
    }
    return predicted;
  }

  /**
   * Class probabilities [rows x k]: each machine's Platt sigmoid gives P(a | a or b, x), and
   * pairwise coupling turns them into one distribution (LIBSVM's `svm_predict_probability`).
   */
  probabilities(X: FeatureRows): Float64Array {
    const { model, pairs } = this;
    const k = model.nClasses;
    const nPairs = pairs.length;
    const decision = this.decisionValues(X);
    const out = new Float64Array(X.count * k);
    const coupling = new PairwiseCoupling(k);
    const r = new Float64Array(k * k);
    const p = new Float64Array(k);
    for (let i = 0; i < X.count; i++) {
      for (let q = 0; q < nPairs; q++) {
        const [a, b] = pairs[q];
        const pa = sigmoidProbability(decision[i * nPairs + q], model.probA[q], model.probB[q]);
        const clipped = Math.min(Math.max(pa, MIN_PAIR_PROBABILITY), 1 - MIN_PAIR_PROBABILITY);
        r[a * k + b] = clipped;
        r[b * k + a] = 1 - clipped;
      }
      coupling.couple(r, p);
      out.set(p, i * k);
    }
    return out;
  }
}
