import type { Label } from '@typedlearn/metrics';
import { ShapeError, ValueError, type MatrixInput, type Tensor } from '@typedlearn/tensor';
import { StratifiedKFold, takeLabels, takeRows, type Split } from '@typedlearn/data';
import type { Classifier } from '../classifier.js';
import { asLabels, checkFeatures, encodeLabels, type Labels } from '../input.js';
import type { SelectionProgress } from './progress.js';
import { resolveScorer, type Scorer, type Scoring } from './scoring.js';

/** Options of {@link crossValScore}. */
export interface CrossValidationOptions {
  /**
   * The folds: a number k for stratified k-fold (every fold keeps the class proportions, as
   * scikit-learn does for classifiers), or explicit train/test index splits. Default 5.
   */
  cv?: number | readonly Split[];
  /** Shuffle the samples before cutting k folds (only when `cv` is a number). Default false. */
  shuffle?: boolean;
  /** How a fold is scored. Default `'accuracy'`. */
  scoring?: Scoring;
  /** Seed of every fit and of the shuffle. Default 0. */
  seed?: number;
  /** Called after each fold is fitted and scored. */
  onProgress?: (progress: SelectionProgress) => void;
  /** Aborting it stops before the next fit (and inside the current one) with the signal's reason. */
  signal?: AbortSignal;
}

/** Held-out scores of each fold, with their mean and (population) standard deviation. */
export interface CrossValidationResult {
  scores: number[];
  mean: number;
  std: number;
}

/**
 * k-fold cross-validation (scikit-learn's `cross_val_score`): for each fold, a fresh model (a
 * clone of `estimator`, or one from a factory function) is fitted on the other folds and scored
 * on this one. The spread of the scores shows how much the estimate depends on the split.
 *
 * ```ts
 * const { mean, std } = await crossValScore(new SVC({ C: 5, gamma: 'scale' }), X, y, { cv: 5 });
 * ```
 */
export async function crossValScore(
  estimator: Classifier | (() => Classifier),
  X: Tensor,
  y: ArrayLike<Label>,
  options: CrossValidationOptions = {},
): Promise<CrossValidationResult> {
  const data = prepareCrossValidation(X, y, options);
  const createModel = typeof estimator === 'function' ? estimator : () => estimator.clone();
  const scores = await scoreFolds(createModel, data, (fold, score) =>
    options.onProgress?.({
      stage: 'fold',
      step: fold + 1,
      total: data.folds.length,
      candidate: 0,
      fold,
      score,
    }),
  );
  return { scores, ...meanAndStd(scores) };
}

/** Validated inputs of a cross-validation, shared by every candidate of a grid search. */
export interface CrossValidationData {
  X: Tensor;
  /** The labels, as a classifier keeps them (an Int32Array for integers). */
  y: Labels;
  folds: readonly Split[];
  scorer: Scorer;
  seed: number;
  signal: AbortSignal | undefined;
}

/** Validates the data and options and cuts the folds once. */
export function prepareCrossValidation(
  X: MatrixInput,
  y: ArrayLike<Label>,
  options: Omit<CrossValidationOptions, 'onProgress'>,
): CrossValidationData {
  const x = checkFeatures(X);
  // Validates the labels as a fit would; the folds and the fits take them as they are.
  encodeLabels(y, x.shape[0]);
  const labels = y instanceof Int32Array ? y : asLabels(Array.from(y));
  const { cv = 5, shuffle = false, seed = 0 } = options;
  if (!Number.isInteger(seed) || seed < 0) {
    throw new ValueError(`seed must be a non-negative integer, got ${String(seed)}`);
  }
  const folds =
    typeof cv === 'number'
      ? new StratifiedKFold({ nSplits: cv, shuffle, seed }).split(labels)
      : checkFolds(cv, labels.length);
  return {
    X: x,
    y: labels,
    folds,
    scorer: resolveScorer(options.scoring),
    seed,
    signal: options.signal,
  };
}

/**
 * Fits a fresh model per fold on its training rows and scores it on its test rows, calling
 * `onFold` after each. One fold's subsets are copied at a time, so memory stays near one
 * copy of the data whatever the number of folds.
 */
export async function scoreFolds(
  createModel: () => Classifier,
  data: CrossValidationData,
  onFold: (fold: number, score: number) => void,
): Promise<number[]> {
  const { X, y, folds, scorer, seed, signal } = data;
  const scores: number[] = [];
  for (let fold = 0; fold < folds.length; fold++) {
    signal?.throwIfAborted();
    const { train, test } = folds[fold];
    const model = await createModel().fit(takeRows(X, train), takeLabels<Label>(y, train), {
      seed,
      signal,
    });
    const score = scorer(model, takeRows(X, test), takeLabels<Label>(y, test));
    scores.push(score);
    onFold(fold, score);
  }
  return scores;
}

/** The mean and the population standard deviation (numpy's default, as scikit-learn reports). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

function checkFolds(folds: readonly Split[], samples: number): readonly Split[] {
  if (!Array.isArray(folds) || folds.length === 0) {
    throw new ValueError(
      'cv must be a number of folds >= 2 or a non-empty array of {train, test} splits',
    );
  }
  folds.forEach((split: Split, f: number) => {
    checkIndices(split.train, samples, `cv split ${f} train`);
    checkIndices(split.test, samples, `cv split ${f} test`);
  });
  return folds;
}

function checkIndices(indices: ArrayLike<number> | undefined, samples: number, name: string): void {
  if (indices === undefined || indices.length === 0) {
    throw new ShapeError(`${name} must be a non-empty array of row indices`);
  }
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= samples) {
      throw new ShapeError(
        `${name} holds row index ${index}: expected integers in [0, ${samples})`,
      );
    }
  }
}
