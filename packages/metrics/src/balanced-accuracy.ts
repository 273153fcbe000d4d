import { countConfusions } from './confusion-matrix.js';
import { encodeLabelPair, type LabelArray } from './labels.js';

/** Options of {@link balancedAccuracy}. */
export interface BalancedAccuracyOptions {
  /**
   * Rescale so that chance level scores 0 and a perfect prediction 1:
   * `(score - 1/k) / (1 - 1/k)` over the `k` classes that occur in `yTrue`. Default false.
   */
  adjusted?: boolean;
}

/**
 * The mean recall over classes (scikit-learn's `balanced_accuracy_score`): every class counts
 * the same however many samples it has. A class that is predicted but never true has no recall
 * and is left out.
 */
export function balancedAccuracy(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: BalancedAccuracyOptions = {},
): number {
  const counts = countConfusions(encodeLabelPair(yTrue, yPred));
  let recallSum = 0;
  let classesPresent = 0;
  counts.forEach((row, i) => {
    const support = row.reduce((total, count) => total + count, 0);
    if (support === 0) return;
    recallSum += row[i] / support;
    classesPresent++;
  });
  const score = recallSum / classesPresent;
  if (options.adjusted !== true) return score;
  const chance = 1 / classesPresent;
  return (score - chance) / (1 - chance);
}
