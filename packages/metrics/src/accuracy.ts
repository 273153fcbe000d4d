import { checkLabelPair, type LabelArray } from './labels.js';

/** The fraction of samples whose predicted label equals the true one (scikit-learn's `accuracy_score`). */
export function accuracy(yTrue: LabelArray, yPred: LabelArray): number {
  checkLabelPair(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}
