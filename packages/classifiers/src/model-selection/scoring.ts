import { ValueError, type Tensor } from '@typedlearn/tensor';
import { accuracy, balancedAccuracy, f1, logLoss, type Label } from '@typedlearn/metrics';
import type { Classifier } from '../classifier.js';
import type { Labels } from '../input.js';

/**
 * Scores a fitted model on held-out rows; higher is better (scikit-learn's scorer protocol).
 */
export type Scorer = (model: Classifier, X: Tensor, y: Labels) => number;

/**
 * How held-out predictions are scored: one of scikit-learn's scorer names in camelCase, or
 * a {@link Scorer}.
 * - `'accuracy'`: fraction of correct predictions;
 * - `'balancedAccuracy'`: mean recall over classes;
 * - `'f1Macro'` / `'f1Weighted'`: F1 averaged over classes, plainly or by support;
 * - `'negLogLoss'`: minus the log loss of `predictProba` (so higher is better).
 */
export type Scoring =
  'accuracy' | 'balancedAccuracy' | 'f1Macro' | 'f1Weighted' | 'negLogLoss' | Scorer;

const namedScorers: Record<Exclude<Scoring, Scorer>, Scorer> = {
  accuracy: (model, X, y) => accuracy(y, model.predict(X)),
  balancedAccuracy: (model, X, y) => balancedAccuracy(y, model.predict(X)),
  f1Macro: (model, X, y) => f1(y, model.predict(X), { average: 'macro' }),
  f1Weighted: (model, X, y) => f1(y, model.predict(X), { average: 'weighted' }),
  negLogLoss: (model, X, y) => {
    if (model.predictProba === undefined) {
      throw new ValueError(
        `scoring 'negLogLoss' needs class probabilities, but ${model.modelType} has no predictProba`,
      );
    }
    return -logLoss(columnsOf(y, model.classes), model.predictProba(X));
  },
};

/** The scorer behind `scoring` (default `'accuracy'`); throws for an unknown name. */
export function resolveScorer(scoring: Scoring = 'accuracy'): Scorer {
  if (typeof scoring === 'function') return scoring;
  if (!Object.hasOwn(namedScorers, scoring)) {
    throw new ValueError(
      `unknown scoring '${String(scoring)}': expected a function or one of ${Object.keys(namedScorers).join(', ')}`,
    );
  }
  return namedScorers[scoring];
}

/** Each label's column in the model's probability matrix (the position in `classes`). */
function columnsOf(y: Labels, classes: Labels): Int32Array {
  const column = new Map<Label, number>();
  Array.from(classes).forEach((label, index) => column.set(label, index));
  return Int32Array.from(y, (label, i) => {
    const index = column.get(label);
    if (index === undefined) {
      throw new ValueError(
        `held-out label ${JSON.stringify(label)} (row ${i}) was not among the classes ` +
          `[${Array.from(classes).join(', ')}] the model was fitted on: use stratified folds so ` +
          'every class is in every training set',
      );
    }
    return index;
  });
}
