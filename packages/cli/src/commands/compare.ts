import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import { encodeModel, type FitProgress, integerLabels } from '@typedlearn/classifiers';
import { saveModel } from '@typedlearn/classifiers/node';
import { accuracy, confusionMatrix } from '@typedlearn/metrics';
import { loadDataset, samples, type Samples } from '../dataset.js';
import { comparisonRows, type ModelRun } from '../comparison.js';
import { evaluationText, observedLabels } from '../evaluation.js';
import { formatPercent, formatSeconds } from '../format.js';
import { createModel } from '../models.js';
import { createProgress, fitProgress, type Progress } from '../progress.js';
import { mnistReport } from '../report/mnist-report.js';

/**
 * The models `compare` runs (registered model types), their hyper-parameters and how many
 * training images each gets, chosen so that all finish within 5 minutes on a 2-core machine
 * on full MNIST (the kernel SVM's training cost grows with the square of its training set, so
 * it learns from a subset).
 */
export const COMPARE_SETUP: Record<
  string,
  { params: Record<string, unknown>; maxTrainRows?: number }
> = {
  softmax: { params: { maxIter: 60 } },
  svm: { params: { C: 5 }, maxTrainRows: 10_000 },
  forest: { params: { nEstimators: 50 } },
  mlp: { params: { hiddenLayers: [128], epochs: 10, validationFraction: 0.1 } },
};

/** The options of `typedlearn compare`, as parsed. */
export interface CompareOptions {
  data?: string;
  trainSize?: number;
  testSize?: number;
  seed: number;
  threads?: number;
  /** Where to save the best model. */
  bestModelPath: string;
  /** Where to write the HTML report. */
  reportPath: string;
}

/** `typedlearn compare` (`pnpm start`): the main job. */
export async function compare(options: CompareOptions): Promise<void> {
  const threads = options.threads ?? availableParallelism();
  const dataset = loadDataset(options.data);
  const train = samples(dataset.train, options.trainSize);
  const test = samples(dataset.test, options.testSize);
  const progress = createProgress();
  process.stderr.write(
    `comparing ${Object.keys(COMPARE_SETUP).join(', ')} on ${train.y.length} training and ` +
      `${test.y.length} test images (${threads} thread${threads === 1 ? '' : 's'}, seed ${options.seed})\n`,
  );

  const runs: ModelRun[] = [];
  for (const name of Object.keys(COMPARE_SETUP)) {
    runs.push(await runModel(name, train, test, { seed: options.seed, threads, progress }));
  }
  const best = runs.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));

  const labels = observedLabels(test.y, best.predicted);
  const matrix = confusionMatrix(test.y, best.predicted, { labels });
  process.stdout.write(
    `${comparisonTable(runs)}\n\nBest: ${best.name} (${formatPercent(best.accuracy)})\n\n` +
      evaluationText(test.y, best.predicted, labels, matrix),
  );

  await saveModel(best.model, options.bestModelPath, { info: { testAccuracy: best.accuracy } });
  const html = await mnistReport({
    runs,
    best,
    train,
    test,
    matrix,
    labels,
    threads,
    seed: options.seed,
  });
  await mkdir(dirname(options.reportPath), { recursive: true });
  await writeFile(options.reportPath, html);
  process.stdout.write(
    `\nSaved the ${best.name} model to ${options.bestModelPath}; report: ${options.reportPath}\n`,
  );
}

async function runModel(
  name: string,
  train: Samples,
  test: Samples,
  { seed, threads, progress }: { seed: number; threads: number; progress: Progress },
): Promise<ModelRun> {
  const { params, maxTrainRows } = COMPARE_SETUP[name];
  const model = createModel(name, params);
  const rows = Math.min(train.y.length, maxTrainRows ?? Infinity);
  const X = train.X.slice(0, rows);
  const y = train.y.subarray(0, rows);

  const history: FitProgress[] = [];
  const tracker = fitProgress(progress, name);
  const fitStart = performance.now();
  try {
    await model.fit(X, y, {
      seed,
      threads,
      onProgress: (report) => {
        history.push(report);
        tracker.onProgress(report);
      },
    });
  } finally {
    tracker.finish();
  }
  const fitSeconds = (performance.now() - fitStart) / 1000;

  process.stderr.write(`${name}: predicting ${test.y.length} test images\n`);
  const predictStart = performance.now();
  const predicted = integerLabels(model.predict(test.X), `the ${name} model's predictions`);
  const predictSeconds = (performance.now() - predictStart) / 1000;
  const score = accuracy(test.y, predicted);
  process.stderr.write(
    `${name}: accuracy ${formatPercent(score)} (fit ${formatSeconds(fitSeconds)}, ` +
      `predict ${formatSeconds(predictSeconds)})\n`,
  );
  const settings = Object.entries(params)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
  return {
    name,
    model,
    settings: settings || 'defaults',
    trainRows: rows,
    fitSeconds,
    predictSeconds,
    accuracy: score,
    modelBytes: encodeModel(model.toState()).length,
    predicted,
    history,
  };
}

/** The comparison as a terminal table, best accuracy first. */
function comparisonTable(runs: readonly ModelRun[]): string {
  const { header, rows } = comparisonRows(runs);
  const table = new Table({
    head: header,
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  table.push(...rows);
  return table.toString();
}
