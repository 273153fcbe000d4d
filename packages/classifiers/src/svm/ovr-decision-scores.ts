import { ShapeError, Tensor, ValueError } from '@typedlearn/tensor';
import { pairCount } from './one-vs-one-model.js';

/**
 * One score per class [rows, k] from {@link SVC.decisionFunction}'s one-vs-one values, as
 * scikit-learn's `decision_function_shape='ovr'` makes them: a class's score is the number of
 * pairwise votes it won plus its summed confidence squashed into (-1/3, 1/3),
 *
 *   score_c = votes_c + s_c / (3 (|s_c| + 1)),   s_c = sum of the pair values in c's favour,
 *
 * so the highest score is the class `predict` answers (votes first, confidence breaks ties).
 * These are scores, not probabilities: they do not sum to 1. For two classes `decision` is the
 * [rows] vector positive for `classes[1]`, and the scores are its negation and itself.
 */
export function ovrDecisionScores(decision: Tensor, nClasses: number): Tensor {
  if (!Number.isInteger(nClasses) || nClasses < 2) {
    throw new ValueError(`nClasses must be an integer >= 2, got ${nClasses}`);
  }
  const values = decision.contiguousData();
  if (nClasses === 2) {
    if (decision.shape.length !== 1) {
      throw new ShapeError(
        `two-class decision values must be a [rows] vector, got [${decision.shape.join(', ')}]`,
      );
    }
    const rows = decision.shape[0];
    const scores = new Float32Array(2 * rows);
    for (let i = 0; i < rows; i++) {
      scores[2 * i] = -values[i];
      scores[2 * i + 1] = values[i];
    }
    return new Tensor(scores, [rows, 2]);
  }
  const pairs = pairCount(nClasses);
  if (decision.shape.length !== 2 || decision.shape[1] !== pairs) {
    throw new ShapeError(
      `decision values for ${nClasses} classes must be [rows, ${pairs}] (one column per pair), ` +
        `got [${decision.shape.join(', ')}]`,
    );
  }
  const rows = decision.shape[0];
  const scores = new Float32Array(rows * nClasses);
  const votes = new Float64Array(nClasses);
  const confidence = new Float64Array(nClasses);
  for (let r = 0; r < rows; r++) {
    votes.fill(0);
    confidence.fill(0);
    let column = r * pairs;
    for (let i = 0; i < nClasses; i++) {
      for (let j = i + 1; j < nClasses; j++, column++) {
        // A positive value votes for the pair's first class, i (as does 0, in scikit-learn).
        const value = values[column];
        votes[value < 0 ? j : i] += 1;
        confidence[i] += value;
        confidence[j] -= value;
      }
    }
    for (let c = 0; c < nClasses; c++) {
      const s = confidence[c];
      scores[r * nClasses + c] = votes[c] + s / (3 * (Math.abs(s) + 1));
    }
  }
  return new Tensor(scores, [rows, nClasses]);
}
