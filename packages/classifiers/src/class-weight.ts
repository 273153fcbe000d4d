import { checkChoice } from './params.js';

/**
 * How each class is weighted in a classifier's loss: `'balanced'` weighs class k by
 * W / (nClasses * W_k), where W_k is the total sample weight of class k and W that of every
 * class (with no `sampleWeight`: nSamples / (nClasses * count_k)), so that every class weighs
 * as much in total; null weighs every class 1.
 */
export type ClassWeight = 'balanced' | null;

/** The one-line meaning of `classWeight` that every model's hyper-parameter table gives. */
export const CLASS_WEIGHT_DESCRIPTION =
  "'balanced' weighs class k by W / (nClasses * W_k), W_k its total sample weight; null weighs every class 1";

/** Throws a `ValueError` unless `value` is `'balanced'` or null. */
export function checkClassWeight(owner: string, value: unknown): void {
  if (value !== null) checkChoice(owner, 'classWeight', value, ['balanced'] as const);
}

/**
 * The weight of each class (King & Zeng, "Logistic Regression in Rare Events Data", 2001):
 * all 1 for null; for `'balanced'`, W / (nClasses * W_k) with W_k = sum of `sampleWeight[i]`
 * over the samples of class k (their count when `sampleWeight` is null) and W = sum_k W_k.
 *
 * This is scikit-learn's `compute_class_weight('balanced', classes, y, sample_weight)` (the
 * weighted counts since scikit-learn 1.7; before, the plain counts n / (nClasses * count_k),
 * which this equals when every sample weighs 1). With weighted counts, a sample of weight 2
 * and two copies of it give the same class weights. A class whose samples all weigh 0 gets
 * weight 0: it is absent, and its samples' weights stay 0 (rather than 0 * Infinity).
 */
export function classWeights(
  classWeight: ClassWeight,
  y: Int32Array,
  nClasses: number,
  sampleWeight: Float64Array | null,
): Float64Array {
  const weights = new Float64Array(nClasses).fill(1);
  if (classWeight === null) return weights;
  const totals = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) totals[y[i]] += sampleWeight === null ? 1 : sampleWeight[i];
  let total = 0;
  for (let k = 0; k < nClasses; k++) total += totals[k];
  for (let k = 0; k < nClasses; k++) {
    weights[k] = totals[k] > 0 ? total / (nClasses * totals[k]) : 0;
  }
  return weights;
}

/** The weights of one fit, as each model needs them. */
export interface FitWeights {
  /** The fit's `sampleWeight`, or null when it was not given or every value is 1. */
  sample: Float64Array | null;
  /** The weight of each class ({@link classWeights}). */
  perClass: Float64Array;
  /**
   * The weight of each sample in the loss, `sample[i] * perClass[y[i]]` (scikit-learn
   * multiplies the class weights into the sample weights the same way), or null when every
   * one is 1: then a model runs its unweighted code, exactly as without weights.
   */
  combined: Float64Array | null;
}

/**
 * Resolves a fit's sample weights (validated by `BaseClassifier`, null for all 1) and the
 * model's `classWeight` into the {@link FitWeights} the models use. Weights that are all 1
 * become null, so a fit with `sampleWeight` all 1 (or `'balanced'` on balanced classes) gives
 * bit for bit the model of a fit without.
 */
export function resolveFitWeights(
  classWeight: ClassWeight,
  y: Int32Array,
  nClasses: number,
  sampleWeight: Float64Array | null,
): FitWeights {
  const sample = sampleWeight === null || allOnes(sampleWeight) ? null : sampleWeight;
  const perClass = classWeights(classWeight, y, nClasses, sample);
  let combined: Float64Array | null = null;
  if (sample !== null || !allOnes(perClass)) {
    combined = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      combined[i] = (sample === null ? 1 : sample[i]) * perClass[y[i]];
    }
  }
  return { sample, perClass, combined };
}

function allOnes(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 1) return false;
  return true;
}
