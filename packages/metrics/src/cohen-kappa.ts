import { countConfusions } from './confusion-matrix.js';
import { encodeLabelPair, type LabelArray } from './labels.js';
import { checkChoice } from './options.js';

/** Options of {@link cohenKappa}. */
export interface CohenKappaOptions {
  /** The classes, in order (their positions define the weights). Default: the sorted union of both arrays. */
  labels?: LabelArray;
  /**
   * Cost of a disagreement between classes at positions i and j: 1 for any disagreement
   * (`'none'`), |i - j| (`'linear'`) or (i - j)^2 (`'quadratic'`). Default `'none'`.
   */
  weights?: 'none' | 'linear' | 'quadratic';
}

/**
 * Cohen's kappa, agreement between two labelings corrected for chance (scikit-learn's
 * `cohen_kappa_score`): kappa = 1 - sum(w * O) / sum(w * E), where O is the confusion matrix
 * and E = outer(row sums, column sums) / n the counts expected if both labelings were
 * independent (Cohen 1960; weighted form Cohen 1968). 1 is perfect agreement, 0 chance level.
 */
export function cohenKappa(
  labels1: LabelArray,
  labels2: LabelArray,
  options: CohenKappaOptions = {},
): number {
  const weighting = checkChoice(
    options.weights ?? 'none',
    ['none', 'linear', 'quadratic'],
    'weights',
  );
  const observed = countConfusions(encodeLabelPair(labels1, labels2, options.labels));
  const k = observed.length;
  const rowSums = observed.map((row) => row.reduce((total, count) => total + count, 0));
  const columnSums = observed[0].map((_, j) => observed.reduce((total, row) => total + row[j], 0));
  const n = rowSums.reduce((total, count) => total + count, 0);

  let observedCost = 0;
  let expectedCost = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const distance = Math.abs(i - j);
      const weight =
        weighting === 'none'
          ? i === j
            ? 0
            : 1
          : weighting === 'linear'
            ? distance
            : distance ** 2;
      observedCost += weight * observed[i][j];
      expectedCost += (weight * (rowSums[i] * columnSums[j])) / n;
    }
  }
  return 1 - observedCost / expectedCost;
}
