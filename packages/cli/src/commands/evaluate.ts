import { loadModel } from '@typedlearn/classifiers/node';
import {
  accuracy,
  classificationReport,
  classificationReportData,
  confusionMatrix,
  formatConfusionMatrix,
} from '@typedlearn/metrics';
import { loadDataset, samples } from '../dataset.js';

/** The options of `typedlearn evaluate`, as parsed. */
export interface EvaluateOptions {
  model: string;
  data?: string;
  json?: boolean;
}

/** `typedlearn evaluate`: the saved model's scores on the test set. */
export async function evaluate(options: EvaluateOptions): Promise<void> {
  const model = await loadModel(options.model);
  const test = samples(loadDataset(options.data).test);
  const predicted = model.predict(test.X);
  // Every digit that occurs, in the test set or in the predictions, gets a row and a column.
  const labels = Array.from(new Set([...test.y, ...predicted])).sort((a, b) => a - b);
  const matrix = confusionMatrix(test.y, predicted, { labels });
  const score = accuracy(test.y, predicted);
  if (options.json) {
    const report = classificationReportData(test.y, predicted, { labels });
    process.stdout.write(
      `${JSON.stringify({ accuracy: score, report, confusionMatrix: matrix })}\n`,
    );
    return;
  }
  process.stdout.write(
    `${options.model} on ${test.y.length} test images: accuracy ${(100 * score).toFixed(2)}%\n\n` +
      `${classificationReport(test.y, predicted, { labels, digits: 4 })}\n` +
      `Confusion matrix (rows: true digit, columns: predicted digit)\n` +
      `${formatConfusionMatrix(matrix, { labels })}\n`,
  );
}
