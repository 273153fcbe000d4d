import { ValueError } from '@typedlearn/tensor';
import { checkLabels } from './labels.js';
import { checkClassIndices, readScoreMatrix, type ScoreMatrix } from './score-matrix.js';

/** Options of {@link topKAccuracy}. */
export interface TopKAccuracyOptions {
  /** How many of the highest-scored classes count as a hit. Default 2. */
  k?: number;
}

/**
 * The fraction of samples whose true class is among the `k` highest-scored classes
 * (scikit-learn's `top_k_accuracy_score`). Column j of `scores` is class j; scores need not
 * be probabilities. Ties are broken as scikit-learn's stable sort does: among equal scores
 * the class with the higher index ranks first.
 */
export function topKAccuracy(
  yTrue: ArrayLike<number>,
  scores: ScoreMatrix,
  options: TopKAccuracyOptions = {},
): number {
  const k = options.k ?? 2;
  if (!Number.isInteger(k) || k < 1) {
    throw new ValueError(`k must be a positive integer, got ${String(k)}`);
  }
  checkLabels(yTrue, 'yTrue');
  const { data, rows, columns } = readScoreMatrix(scores, yTrue.length, 'scores');
  checkClassIndices(yTrue, columns);

  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    const label = yTrue[r];
    const trueScore = data[base + label];
    // The true class's rank: classes scored higher, plus equal-scored ones ranked before it.
    let ranksAbove = 0;
    for (let c = 0; c < columns; c++) {
      const score = data[base + c];
      if (score > trueScore || (score === trueScore && c > label)) ranksAbove++;
    }
    if (ranksAbove < k) hits++;
  }
  return hits / rows;
}
