import { ValueError } from '@typedlearn/tensor';
import { countConfusions } from './confusion-matrix.js';
import type { Label } from './label-encoder.js';
import { encodeLabelPair, type LabelArray } from './labels.js';
import { checkChoice, checkZeroDivision } from './options.js';

/**
 * How per-class scores become one number:
 * - `'micro'`: count true positives, predictions and true labels over all classes first
 *   (for single-label data every micro score equals the accuracy);
 * - `'macro'`: the unweighted mean of the per-class scores;
 * - `'weighted'`: their mean weighted by each class's support (number of true samples).
 */
export type Average = 'micro' | 'macro' | 'weighted';

/** Options shared by {@link precisionRecallFscoreSupport}, {@link precision}, {@link recall} and {@link f1}. */
export interface ScoreOptions {
  /**
   * The classes to score, in order. Default: the sorted union of the labels in `yTrue` and
   * `yPred`. Every label must be one of them.
   */
  labels?: LabelArray;
  /**
   * The value of a ratio whose denominator is zero: precision of a class never predicted,
   * recall of a class never true, F-score of a class neither true nor predicted. 0, 1, or NaN
   * (then left out of averages), as scikit-learn's `zero_division`. Default 0.
   */
  zeroDivision?: number;
}

/** Options of {@link precisionRecallFscoreSupport}. */
export interface PrecisionRecallFscoreOptions extends ScoreOptions {
  /** Averaging method, or null for one score per class. Default null. */
  average?: Average | null;
  /** Weight of recall against precision in the F-score (F-beta). Default 1 (the F1 score). */
  beta?: number;
}

/** Scores of each class, in the order of `labels`. */
export interface PerClassScores {
  /** The classes scored. */
  labels: Label[];
  /** tp / (tp + fp) per class. */
  precision: number[];
  /** tp / (tp + fn) per class. */
  recall: number[];
  /** (1 + beta^2) tp / ((1 + beta^2) tp + beta^2 fn + fp) per class. */
  fScore: number[];
  /** Number of true samples of each class. */
  support: number[];
}

/** Averaged scores (scikit-learn returns no support for them). */
export interface AveragedScores {
  precision: number;
  recall: number;
  fScore: number;
}

/**
 * Precision, recall, F-score and support per class, or averaged
 * (scikit-learn's `precision_recall_fscore_support`).
 */
export function precisionRecallFscoreSupport(
  yTrue: LabelArray,
  yPred: LabelArray,
  options?: PrecisionRecallFscoreOptions & { average?: null },
): PerClassScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: PrecisionRecallFscoreOptions & { average: Average },
): AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelArray,
  yPred: LabelArray,
  options?: PrecisionRecallFscoreOptions,
): PerClassScores | AveragedScores;
export function precisionRecallFscoreSupport(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: PrecisionRecallFscoreOptions = {},
): PerClassScores | AveragedScores {
  const average = options.average ?? null;
  if (average !== null) checkChoice(average, ['micro', 'macro', 'weighted'], 'average');
  const zeroDivision = checkZeroDivision(options.zeroDivision ?? 0);
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new ValueError(`beta must be a number >= 0, got ${beta}`);

  const encoded = encodeLabelPair(yTrue, yPred, options.labels);
  const counts = countConfusions(encoded);
  // Per class: true positives (diagonal), predictions (column sums), true samples (row sums).
  let truePositives = counts.map((row, i) => row[i]);
  let predicted = counts[0].map((_, j) => counts.reduce((total, row) => total + row[j], 0));
  let actual = counts.map((row) => row.reduce((total, count) => total + count, 0));
  const support = actual;
  if (average === 'micro') {
    truePositives = [sum(truePositives)];
    predicted = [sum(predicted)];
    actual = [sum(actual)];
  }

  const precision = truePositives.map((tp, c) => divide(tp, predicted[c], zeroDivision));
  const recall = truePositives.map((tp, c) => divide(tp, actual[c], zeroDivision));
  // F-beta, the weighted harmonic mean (1 + b^2) P R / (b^2 P + R), computed from P and R
  // as scikit-learn 1.2 does (so the floats agree to the last bit). It is undefined only for a
  // class neither true nor predicted; with no true positive it is 0. beta = 0 is precision
  // and beta = infinity recall.
  const beta2 = beta * beta;
  const fScore = truePositives.map((tp, c) => {
    if (beta === 0) return precision[c];
    if (beta === Infinity) return recall[c];
    if (tp === 0) return actual[c] + predicted[c] === 0 ? zeroDivision : 0;
    return ((1 + beta2) * precision[c] * recall[c]) / (beta2 * precision[c] + recall[c]);
  });

  if (average === null) {
    return { labels: [...encoded.classes], precision, recall, fScore, support };
  }
  const weights = average === 'weighted' ? support : undefined;
  return {
    precision: nanAverage(precision, weights),
    recall: nanAverage(recall, weights),
    fScore: nanAverage(fScore, weights),
  };
}

/** Options of {@link precision}, {@link recall} and {@link f1}. */
export interface AveragedScoreOptions extends ScoreOptions {
  /** Averaging method, or null for one score per class. Default `'macro'`. */
  average?: Average | null;
}

/** Precision tp / (tp + fp): of the samples predicted as a class, the fraction that are it. */
export function precision(
  yTrue: LabelArray,
  yPred: LabelArray,
  options?: AveragedScoreOptions & { average?: Average },
): number;
export function precision(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions & { average: null },
): number[];
export function precision(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions = {},
): number | number[] {
  return pick(yTrue, yPred, options, 'precision');
}

/** Recall tp / (tp + fn): of the samples of a class, the fraction predicted as it. */
export function recall(
  yTrue: LabelArray,
  yPred: LabelArray,
  options?: AveragedScoreOptions & { average?: Average },
): number;
export function recall(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions & { average: null },
): number[];
export function recall(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions = {},
): number | number[] {
  return pick(yTrue, yPred, options, 'recall');
}

/** F1 score, the harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn). */
export function f1(
  yTrue: LabelArray,
  yPred: LabelArray,
  options?: AveragedScoreOptions & { average?: Average },
): number;
export function f1(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions & { average: null },
): number[];
export function f1(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions = {},
): number | number[] {
  return pick(yTrue, yPred, options, 'fScore');
}

function pick(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: AveragedScoreOptions,
  score: 'precision' | 'recall' | 'fScore',
): number | number[] {
  const average = options.average === undefined ? 'macro' : options.average;
  return precisionRecallFscoreSupport(yTrue, yPred, { ...options, average, beta: 1 })[score];
}

/** numerator / denominator, or `zeroDivision` when the denominator is 0. */
function divide(numerator: number, denominator: number, zeroDivision: number): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

/**
 * The (weighted) mean of `values` ignoring NaN entries, as scikit-learn's `_nanaverage`:
 * NaN when every value is NaN; the plain mean when the remaining weights sum to 0.
 */
function nanAverage(values: readonly number[], weights?: readonly number[]): number {
  let weightedSum = 0;
  let weightTotal = 0;
  let plainSum = 0;
  let count = 0;
  values.forEach((value, i) => {
    if (Number.isNaN(value)) return;
    const weight = weights === undefined ? 1 : weights[i];
    weightedSum += weight * value;
    weightTotal += weight;
    plainSum += value;
    count++;
  });
  if (count === 0) return NaN;
  return weightTotal === 0 ? plainSum / count : weightedSum / weightTotal;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
