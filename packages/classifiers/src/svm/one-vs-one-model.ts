import { Tensor } from '@typedlearn/tensor';
import type { Kernel } from './kernel.js';
import type { PairResult } from './train-pair.js';

/**
 * A fitted one-vs-one C-SVC in LIBSVM's layout. The k(k-1)/2 binary machines share one set of
 * support vectors (each stored once, grouped by class): machine p = (a, b), a < b, is
 *
 *   f_p(x) = sum_{s in class a} dualCoef[b-1][s] K(x_s, x) + sum_{s in class b} dualCoef[a][s] K(x_s, x)
 *            + intercept[p],
 *
 * positive for class a. Pairs are numbered (0,1), (0,2), ..., (0,k-1), (1,2), ..., (k-2,k-1).
 * Coefficients are stored in float32 (what a model file holds), so a restored model predicts
 * exactly as the fitted one.
 */
export interface OneVsOneModel {
  nClasses: number;
  kernel: Kernel;
  /** The support vectors [nSV, nFeatures], those of class 0 first, then class 1, ... */
  supportVectors: Tensor;
  /** Index in the training set of each support vector (scikit-learn's `support_`). */
  support: Int32Array;
  /** Support vectors per class (scikit-learn's `n_support_`). */
  nSupport: Int32Array;
  /** [(k-1) x nSV], row-major (scikit-learn's `dual_coef_`, LIBSVM's `sv_coef`). */
  dualCoef: Float32Array;
  /** -rho of each pair (scikit-learn's `intercept_`). */
  intercept: Float32Array;
  /** Platt sigmoid P(a | x) = 1 / (1 + exp(probA f_p(x) + probB)) per pair; empty without probabilities. */
  probA: Float32Array;
  probB: Float32Array;
}

/** The number of binary machines of k-class one-vs-one. */
export function pairCount(nClasses: number): number {
  return (nClasses * (nClasses - 1)) / 2;
}

/**
 * Builds the shared model from the pairs' results (LIBSVM's `svm_train`): a training row is a
 * support vector when any pair gave it a non-zero coefficient.
 *
 * @param X The training matrix (contiguous).
 * @param byClass Training rows grouped by class (class c at classStart[c]..classStart[c+1]).
 * @param results One result per pair, in pair order.
 */
export function assembleOneVsOne(
  X: Tensor,
  kernel: Kernel,
  byClass: Int32Array,
  classStart: Int32Array,
  results: readonly PairResult[],
): OneVsOneModel {
  const k = classStart.length - 1;
  const n = byClass.length;
  // isSupport[g]: position g of the grouped order is a support vector of some pair.
  const isSupport = new Uint8Array(n);
  forEachPairSample(classStart, results, (g, coef) => {
    if (coef !== 0) isSupport[g] = 1;
  });
  const nSupport = new Int32Array(k);
  const supportPosition = new Int32Array(n).fill(-1);
  let nSV = 0;
  for (let c = 0; c < k; c++) {
    for (let g = classStart[c]; g < classStart[c + 1]; g++) {
      if (isSupport[g]) {
        supportPosition[g] = nSV++;
        nSupport[c]++;
      }
    }
  }
  const support = new Int32Array(nSV);
  for (let g = 0; g < n; g++) if (supportPosition[g] >= 0) support[supportPosition[g]] = byClass[g];

  const [, nFeatures] = X.matrixShape('X');
  const vectors = new Float32Array(nSV * nFeatures);
  for (let s = 0; s < nSV; s++) {
    const from = X.offset + support[s] * nFeatures;
    vectors.set(X.data.subarray(from, from + nFeatures), s * nFeatures);
  }

  // Pair (a, b): class a's coefficients go to row b-1, class b's to row a (LIBSVM's layout).
  const dualCoef = new Float32Array((k - 1) * nSV);
  const pairs = pairIndex(k);
  forEachPairSample(classStart, results, (g, coef, pair, isFirst) => {
    const s = supportPosition[g];
    if (s < 0) return;
    const [a, b] = pairs[pair];
    const row = isFirst ? b - 1 : a;
    dualCoef[row * nSV + s] = coef;
  });

  const probabilities = results.length > 0 && results[0].sigmoid !== null;
  return {
    nClasses: k,
    kernel,
    supportVectors: new Tensor(vectors, [nSV, nFeatures]),
    support,
    nSupport,
    dualCoef,
    intercept: Float32Array.from(results, (r) => -r.rho),
    probA: probabilities
      ? Float32Array.from(results, (r) => r.sigmoid?.A ?? 0)
      : new Float32Array(0),
    probB: probabilities
      ? Float32Array.from(results, (r) => r.sigmoid?.B ?? 0)
      : new Float32Array(0),
  };
}

/** The classes (a, b) of each pair index. */
export function pairIndex(nClasses: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let a = 0; a < nClasses; a++) for (let b = a + 1; b < nClasses; b++) pairs.push([a, b]);
  return pairs;
}

/** Visits every sample of every pair: its grouped position, coefficient, pair and side. */
function forEachPairSample(
  classStart: Int32Array,
  results: readonly PairResult[],
  visit: (grouped: number, coef: number, pair: number, isFirst: boolean) => void,
): void {
  const pairs = pairIndex(classStart.length - 1);
  for (const result of results) {
    const [a, b] = pairs[result.pair];
    const firstCount = classStart[a + 1] - classStart[a];
    for (let i = 0; i < result.coef.length; i++) {
      const isFirst = i < firstCount;
      const grouped = isFirst ? classStart[a] + i : classStart[b] + i - firstCount;
      visit(grouped, result.coef[i], result.pair, isFirst);
    }
  }
}
