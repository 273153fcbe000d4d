import { encodeLabelPair, type EncodedLabels, type LabelArray } from './labels.js';
import { checkChoice } from './options.js';

/** What a normalised confusion matrix divides by: each row, each column, or the total. */
export type ConfusionNormalization = 'true' | 'pred' | 'all';

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /**
   * The classes, in the order of the rows and columns. Default: the sorted union of the labels
   * in `yTrue` and `yPred`. Pass it to give a class that never occurs its own row and column;
   * every label must then be one of these.
   */
  labels?: LabelArray;
  /**
   * Divide each count by its row sum (`'true'`: rows become recalls), its column sum
   * (`'pred'`: columns become precisions) or the total (`'all'`). A zero sum gives zeros.
   * Default: counts.
   */
  normalize?: ConfusionNormalization;
}

/**
 * The confusion matrix `C`: `C[i][j]` counts samples of class `labels[i]` predicted as class
 * `labels[j]`, so the diagonal holds the correct predictions (scikit-learn's
 * `confusion_matrix`).
 */
export function confusionMatrix(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: ConfusionMatrixOptions = {},
): number[][] {
  const counts = countConfusions(encodeLabelPair(yTrue, yPred, options.labels));
  if (options.normalize === undefined) return counts;
  checkChoice(options.normalize, ['true', 'pred', 'all'], 'normalize');
  return normalizeConfusions(counts, options.normalize);
}

/** The counts behind {@link confusionMatrix} for labels already encoded as class positions. */
export function countConfusions(encoded: EncodedLabels): number[][] {
  const k = encoded.classes.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const { trueIndex, predIndex } = encoded;
  for (let i = 0; i < trueIndex.length; i++) counts[trueIndex[i]][predIndex[i]]++;
  return counts;
}

function normalizeConfusions(counts: number[][], by: ConfusionNormalization): number[][] {
  const rowSums = counts.map((row) => sum(row));
  const columnSums = counts[0].map((_, j) => sum(counts.map((row) => row[j])));
  const total = sum(rowSums);
  return counts.map((row, i) =>
    row.map((count, j) => {
      const denominator = by === 'true' ? rowSums[i] : by === 'pred' ? columnSums[j] : total;
      // scikit-learn turns the 0/0 of an empty row or column into 0.
      return denominator === 0 ? 0 : count / denominator;
    }),
  );
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
