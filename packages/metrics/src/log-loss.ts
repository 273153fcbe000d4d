import { ValueError } from '@typedlearn/tensor';
import { checkLabels } from './labels.js';
import {
  checkClassIndices,
  checkProbabilities,
  readScoreMatrix,
  type ScoreMatrix,
} from './score-matrix.js';

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to [eps, 1 - eps] before the logarithm. Default `'auto'`: the
   * machine epsilon of the input's element type (2^-23 for float32, 2^-52 for float64), as
   * scikit-learn 1.2 does.
   */
  eps?: number | 'auto';
}

/**
 * Cross-entropy of the predicted probabilities: the mean over samples of -log p(true class)
 * (scikit-learn 1.2's `log_loss`). Column j of `probabilities` is class j; each row must hold
 * probabilities summing to 1. Each row is clipped to [eps, 1 - eps] and divided by its new sum
 * before the logarithm, so a confident wrong prediction costs about -log(eps), not infinity.
 */
export function logLoss(
  yTrue: ArrayLike<number>,
  probabilities: ScoreMatrix,
  options: LogLossOptions = {},
): number {
  checkLabels(yTrue, 'yTrue');
  const matrix = readScoreMatrix(probabilities, yTrue.length, 'probabilities');
  checkProbabilities(matrix, 'probabilities');
  checkClassIndices(yTrue, matrix.columns);
  const eps = options.eps === undefined || options.eps === 'auto' ? matrix.epsilon : options.eps;
  if (!(eps > 0 && eps < 0.5)) {
    throw new ValueError(`eps must be 'auto' or a number in (0, 0.5), got ${String(eps)}`);
  }

  const { data, rows, columns } = matrix;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let clippedSum = 0;
    for (let c = 0; c < columns; c++) clippedSum += clip(data[r * columns + c], eps);
    total -= Math.log(clip(data[r * columns + yTrue[r]], eps) / clippedSum);
  }
  return total / rows;
}

function clip(p: number, eps: number): number {
  return p < eps ? eps : p > 1 - eps ? 1 - eps : p;
}
