import { integerLabels } from '@typedlearn/classifiers';
import { loadModel } from '@typedlearn/classifiers/node';
import { accuracy, classificationReportData, confusionMatrix } from '@typedlearn/metrics';
import { loadDataset, samples } from '../dataset.js';
import { evaluationText, observedLabels } from '../evaluation.js';
import { formatPercent } from '../format.js';

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
  const predicted = integerLabels(model.predict(test.X), `the predictions of ${options.model}`);
  const labels = observedLabels(test.y, predicted);
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
    `${options.model} on ${test.y.length} test images: accuracy ${formatPercent(score)}\n\n` +
      evaluationText(test.y, predicted, labels, matrix),
  );
}
