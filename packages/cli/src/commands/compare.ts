import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import Table from 'cli-table3';
import { encodeModel, type FitProgress, modelFile } from '@typedlearn/classifiers';
import { saveModel } from '@typedlearn/classifiers/node';
import { takeLabels, takeRows, trainTestSplit } from '@typedlearn/data';
import { withPool, type WorkerPool } from '@typedlearn/tensor';
import { confusionMatrix } from '@typedlearn/metrics';
import { loadDataset, samples, type LabelledRows, type Samples } from '../dataset.js';
import { comparisonRows, type ModelRun } from '../comparison.js';
import { evaluationText, observedLabels, test, type TrainingRecord } from '../evaluation.js';
import { formatPercent, formatSeconds } from '../format.js';
import { createModel, describeModel, type TrainableModel } from '../models.js';
import { checkOutputPath } from '../output-path.js';
import { COMPARE_SETUP, type Candidate } from './compare-setup.js';
import { createProgress, fitProgress, type Progress } from '../progress.js';
import { mnistReport } from '../report/mnist-report.js';

/** Share of the training images held out to choose the best model. */
const VALIDATION_FRACTION = 0.1;

/** The options of `typedlearn compare`, as parsed. */
export interface CompareOptions {
  data?: string;
  trainSize?: number;
  testSize?: number;
  seed: number;
  /** Default: one per core. */
  threads?: number;
  /** Candidate names; default: all of {@link COMPARE_SETUP}. */
  models?: string[];
  /** Where to save the best model. */
  bestModelPath: string;
  /** Where to write the HTML report. */
  reportPath: string;
}

/**
 * `typedlearn compare` (`pnpm start`): the main job. Fits every candidate on the training
 * images outside a stratified validation split (10%), picks the best by validation accuracy
 * (never by the test set), and saves that very model with its test accuracy; every
 * candidate's test accuracy is reported beside its validation accuracy. The winner is not
 * refitted on all the training images (as scikit-learn's `GridSearchCV` would): the convnet's
 * refit alone would take the job past its 5-minute budget, and the saved model is then exactly
 * the one whose accuracies the table shows.
 */
export async function compare(options: CompareOptions): Promise<void> {
  const threads = options.threads ?? availableParallelism();
  const candidates = chosenCandidates(options.models);
  await checkOutputPath(options.bestModelPath, '--out-dir');
  await checkOutputPath(options.reportPath, '--out-dir');
  // One pool of threads fits and predicts every candidate; its threads start while the images
  // load, and withPool closes them.
  const { dataset, train, testSet, fitPart, runs } = await withPool(threads, async (pool) => {
    await pool.start();
    const splits = loadSplits(options);
    const context = { seed: options.seed, pool, progress: createProgress() };
    return { ...splits, runs: await runCandidates(candidates, splits, context) };
  });
  const chosen = runs.reduce((a, b) => (b.validationAccuracy > a.validationAccuracy ? b : a));

  const best = chosen.model;
  const labels = observedLabels(testSet.y, chosen.predicted);
  const matrix = confusionMatrix(testSet.y, chosen.predicted, { labels });
  process.stdout.write(
    `${comparisonTable(runs)}\n\nBest on the validation split: ${chosen.name} ` +
      `(${formatPercent(chosen.validationAccuracy)}); ${formatPercent(chosen.accuracy)} on the ` +
      `${testSet.y.length} test images\n\n` +
      evaluationText(testSet.y, chosen.predicted, labels, matrix),
  );

  const record: TrainingRecord = {
    dataset: dataset.name,
    trainRows: fitPart.y.length,
    testRows: testSet.y.length,
    testAccuracy: chosen.accuracy,
  };
  await saveModel(best, options.bestModelPath, {
    info: { ...record, validationAccuracy: chosen.validationAccuracy },
  });
  const html = await mnistReport({
    runs,
    best: chosen,
    train,
    test: testSet,
    matrix,
    labels,
    threads,
    seed: options.seed,
  });
  await mkdir(dirname(options.reportPath), { recursive: true });
  await writeFile(options.reportPath, html);
  process.stdout.write(
    `\nSaved the ${chosen.name} model to ${options.bestModelPath}; report: ${options.reportPath}\n`,
  );
}

/** Fits and tests each candidate in turn, as the terminal shows. */
async function runCandidates(
  candidates: Candidate[],
  { fitPart, validation, testSet }: ReturnType<typeof loadSplits>,
  context: RunContext,
): Promise<ModelRun[]> {
  const { seed } = context;
  const { threads } = context.pool;
  process.stderr.write(
    `comparing ${candidates.map((c) => c.model).join(', ')}: fitted on ${fitPart.y.length} ` +
      `training images, chosen on ${validation.y.length} held-out training images, tested on ` +
      `${testSet.y.length} test images (${threads} thread${threads === 1 ? '' : 's'}, seed ${seed})\n`,
  );
  const runs: ModelRun[] = [];
  for (const candidate of candidates) {
    runs.push(await runCandidate(candidate, fitPart, validation, testSet, context));
  }
  return runs;
}

/** The images, with the training images split into the part models fit on and the validation part. */
function loadSplits(options: CompareOptions) {
  const dataset = loadDataset(options.data);
  const train = samples(dataset.train, options.trainSize, '--train-size');
  const testSet = samples(dataset.test, options.testSize, '--test-size');
  const split = trainTestSplit(train.y, { testSize: VALIDATION_FRACTION, seed: options.seed });
  // In shared memory, where the threads read the images the models fit on without a copy.
  const fitX = takeRows(train.X, split.train, { shared: true });
  const fitPart = { X: fitX, y: takeLabels(train.y, split.train) };
  const validation = { X: takeRows(train.X, split.test), y: takeLabels(train.y, split.test) };
  return { dataset, train, testSet, fitPart, validation };
}

/** The candidates named by `--models`, in the order of {@link COMPARE_SETUP}; all by default. */
function chosenCandidates(names: string[] | undefined): Candidate[] {
  if (names === undefined) return [...COMPARE_SETUP];
  return COMPARE_SETUP.filter((candidate) => names.includes(candidate.model));
}

interface RunContext {
  seed: number;
  /** The threads every fit and prediction runs on. */
  pool: WorkerPool;
  progress: Progress;
}

/** Fits `model` on `set` with a progress bar named `name`; resolves to the fit's progress reports. */
async function fit(
  model: TrainableModel,
  set: LabelledRows,
  name: string,
  { seed, pool, progress }: RunContext,
): Promise<FitProgress[]> {
  const history: FitProgress[] = [];
  const tracker = fitProgress(progress, name);
  try {
    await model.fit(set.X, set.y, {
      seed,
      pool,
      onProgress: (report: FitProgress) => {
        history.push(report);
        tracker.onProgress(report);
      },
    });
  } finally {
    tracker.finish();
  }
  return history;
}

async function runCandidate(
  candidate: Candidate,
  fitPart: LabelledRows,
  validation: LabelledRows,
  testSet: Samples,
  context: RunContext,
): Promise<ModelRun> {
  const { model: name, params, preprocess } = candidate;
  const model = createModel(name, params, preprocess);
  const fitStart = performance.now();
  const history = await fit(model, fitPart, name, context);
  const fitSeconds = (performance.now() - fitStart) / 1000;

  process.stderr.write(`${name}: predicting ${validation.y.length + testSet.y.length} images\n`);
  const validated = await test(model, validation, `the ${name} model`, context.pool);
  const tested = await test(model, testSet, `the ${name} model`, context.pool);
  process.stderr.write(
    `${name}: validation ${formatPercent(validated.accuracy)}, test ${formatPercent(tested.accuracy)} ` +
      `(fit ${formatSeconds(fitSeconds)}, predict ${formatSeconds(tested.predictSeconds)})\n`,
  );
  const { model: state, preprocessing } = modelFile(model);
  return {
    name,
    model,
    settings: describeModel(name, params, preprocess),
    trainRows: fitPart.y.length,
    fitSeconds,
    predictSeconds: tested.predictSeconds,
    validationAccuracy: validated.accuracy,
    accuracy: tested.accuracy,
    modelBytes: encodeModel(state, preprocessing).length,
    predicted: tested.predicted,
    history,
  };
}

/** The comparison as a terminal table, best validation accuracy first. */
function comparisonTable(runs: readonly ModelRun[]): string {
  const { header, rows } = comparisonRows(runs);
  const table = new Table({
    head: header,
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  table.push(...rows);
  return table.toString();
}
