import { availableParallelism } from 'node:os';
import { decodeModel, modelFromFile } from '@typedlearn/classifiers';
import { readModelFile } from '@typedlearn/classifiers/node';
import { classificationReportData, confusionMatrix } from '@typedlearn/metrics';
import { withPool } from '@typedlearn/tensor';
import { loadDataset, samples } from '../dataset.js';
import { evaluationText, observedLabels, test, type TrainingRecord } from '../evaluation.js';
import { formatPercent } from '../format.js';

/** The options of `typedlearn evaluate`, as parsed. */
export interface EvaluateOptions {
  model: string;
  data?: string;
  /** Default: one per core. */
  threads?: number;
  json?: boolean;
}

/**
 * `typedlearn evaluate`: the saved model's scores on the test set, beside what the model file
 * recorded when it was trained (`recorded`, null for a file that records nothing).
 */
export async function evaluate(options: EvaluateOptions): Promise<void> {
  const file = decodeModel(await readModelFile(options.model), options.model);
  const model = modelFromFile(file, options.model);
  const testSet = samples(loadDataset(options.data).test, undefined, '--test-size');
  const threads = options.threads ?? availableParallelism();
  const { predicted, accuracy } = await withPool(threads, (pool) =>
    test(model, testSet, options.model, pool),
  );
  const labels = observedLabels(testSet.y, predicted);
  const matrix = confusionMatrix(testSet.y, predicted, { labels });
  const recorded = recordOf(file.model.info);
  if (options.json) {
    const report = classificationReportData(testSet.y, predicted, { labels });
    process.stdout.write(
      `${JSON.stringify({ accuracy, recorded, report, confusionMatrix: matrix })}\n`,
    );
    return;
  }
  const then =
    recorded === null
      ? ''
      : ` (recorded at training: ${formatPercent(recorded.testAccuracy)} on ${recorded.testRows} test images of ${recorded.dataset})`;
  process.stdout.write(
    `${options.model} on ${testSet.y.length} test images: accuracy ${formatPercent(accuracy)}${then}\n\n` +
      evaluationText(testSet.y, predicted, labels, matrix),
  );
}

/** The training record in a model file's info, when it has a complete one. */
function recordOf(info: Record<string, unknown>): TrainingRecord | null {
  const { dataset, trainRows, testRows, testAccuracy } = info;
  return typeof testAccuracy === 'number' && typeof testRows === 'number'
    ? {
        dataset: typeof dataset === 'string' ? dataset : 'an unrecorded data set',
        trainRows: typeof trainRows === 'number' ? trainRows : NaN,
        testRows,
        testAccuracy,
      }
    : null;
}
