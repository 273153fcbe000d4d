import { ValueError } from '@typedlearn/tensor';
import { checkLabels } from './labels.js';
import { checkChoice } from './options.js';
import {
  checkClassIndices,
  checkProbabilities,
  readScoreMatrix,
  type ScoreMatrix,
} from './score-matrix.js';

/** Options of {@link rocAuc}. */
export interface RocAucOptions {
  /**
   * How the one-vs-rest areas are combined: their plain mean (`'macro'`) or their mean weighted
   * by each class's number of true samples (`'weighted'`). Default `'macro'`.
   */
  average?: 'macro' | 'weighted';
}

/**
 * Area under the ROC curve, one-vs-rest (scikit-learn's `roc_auc_score` with
 * `multi_class='ovr'`): for each class, the samples of that class are the positives and its
 * probability column the score; the per-class areas are then averaged. Column j of
 * `probabilities` is class j, rows must sum to 1, and every class must occur in `yTrue`
 * (otherwise its area is undefined).
 */
export function rocAuc(
  yTrue: ArrayLike<number>,
  probabilities: ScoreMatrix,
  options: RocAucOptions = {},
): number {
  const average = checkChoice(options.average ?? 'macro', ['macro', 'weighted'], 'average');
  checkLabels(yTrue, 'yTrue');
  const matrix = readScoreMatrix(probabilities, yTrue.length, 'probabilities');
  checkProbabilities(matrix, 'probabilities');
  checkClassIndices(yTrue, matrix.columns);
  const { data, rows, columns } = matrix;

  const positives = new Array<number>(columns).fill(0);
  for (let i = 0; i < rows; i++) positives[yTrue[i]]++;
  const scores = new Float64Array(rows);
  const isPositive = new Uint8Array(rows);
  let weightedSum = 0;
  let weightTotal = 0;
  for (let c = 0; c < columns; c++) {
    if (positives[c] === 0 || positives[c] === rows) {
      throw new ValueError(
        `class ${c} has ${positives[c] === 0 ? 'no' : 'only'} samples in yTrue: the one-vs-rest ` +
          'ROC AUC needs positive and negative samples of every class',
      );
    }
    for (let i = 0; i < rows; i++) {
      scores[i] = data[i * columns + c];
      isPositive[i] = yTrue[i] === c ? 1 : 0;
    }
    const weight = average === 'weighted' ? positives[c] : 1;
    weightedSum += weight * binaryRocAuc(scores, isPositive);
    weightTotal += weight;
  }
  return weightedSum / weightTotal;
}

/**
 * Area under the ROC curve of one binary problem by the trapezoidal rule, as scikit-learn's
 * `roc_curve` + `auc`: walking the scores from high to low, each distinct score is one
 * threshold and one point (false positives, true positives) of the curve; tied scores move
 * both counts at once, so a tie between a positive and a negative adds half a unit of area.
 */
function binaryRocAuc(scores: Float64Array, isPositive: Uint8Array): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  let truePositives = 0;
  let falsePositives = 0;
  let previousTruePositives = 0;
  let previousFalsePositives = 0;
  let area = 0;
  for (let rank = 0; rank < order.length; rank++) {
    const i = order[rank];
    if (rank > 0 && scores[i] !== scores[order[rank - 1]]) {
      area +=
        ((falsePositives - previousFalsePositives) * (truePositives + previousTruePositives)) / 2;
      previousTruePositives = truePositives;
      previousFalsePositives = falsePositives;
    }
    if (isPositive[i] === 1) truePositives++;
    else falsePositives++;
  }
  area += ((falsePositives - previousFalsePositives) * (truePositives + previousTruePositives)) / 2;
  // Counts to rates: the curve runs from (0, 0) to (negatives, positives).
  return area / (truePositives * falsePositives);
}
