import { integerLabels, predictInParallel, type SavedModel } from '@typedlearn/classifiers';
import type { WorkerPool } from '@typedlearn/tensor';
import { accuracy, classificationReport, formatConfusionMatrix } from '@typedlearn/metrics';
import type { LabelledRows } from './dataset.js';

/** A model's answers on a labelled set, and what its model file records of them. */
export interface TestResult {
  predicted: Int32Array;
  accuracy: number;
  /** Seconds to predict the whole set. */
  predictSeconds: number;
}

/** What a model file records of how its model was trained and tested (its `info`). */
export interface TrainingRecord {
  /** `MNIST`, or the `--data` folder. */
  dataset: string;
  trainRows: number;
  testRows: number;
  testAccuracy: number;
}

/**
 * The model's predictions and accuracy on `set` (`what` names the model in errors), the rows
 * split between the threads of `pool` when the model is slow to answer (`predictInParallel`).
 */
export async function test(
  model: SavedModel,
  set: LabelledRows,
  what: string,
  pool: WorkerPool,
): Promise<TestResult> {
  const started = performance.now();
  const labels = await predictInParallel(model, set.X, pool);
  const predicted = integerLabels(labels, `the predictions of ${what}`);
  const predictSeconds = (performance.now() - started) / 1000;
  return { predicted, accuracy: accuracy(set.y, predicted), predictSeconds };
}

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
