import { classificationReport, formatConfusionMatrix } from '@typedlearn/metrics';

/** The labels in the truth or the predictions, ascending: each gets a row and a column. */
export function observedLabels(truth: Int32Array, predicted: Int32Array): number[] {
  return Array.from(new Set([...truth, ...predicted])).sort((a, b) => a - b);
}

/** The classification report and the confusion matrix, as the terminal shows them. */
export function evaluationText(
  truth: Int32Array,
  predicted: Int32Array,
  labels: number[],
  matrix: number[][],
): string {
  return (
    `${classificationReport(truth, predicted, { labels, digits: 4 })}\n` +
    `Confusion matrix (rows: true digit, columns: predicted digit)\n` +
    `${formatConfusionMatrix(matrix, { labels })}\n`
  );
}
