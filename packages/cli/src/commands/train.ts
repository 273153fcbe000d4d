import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { saveModel } from '@typedlearn/classifiers/node';
import { withPool } from '@typedlearn/tensor';
import { loadDataset, samples } from '../dataset.js';
import { test, type TrainingRecord } from '../evaluation.js';
import { formatBytes, formatPercent } from '../format.js';
import { createModel } from '../models.js';
import type { PreprocessStep } from '../option-values.js';
import { checkOutputPath } from '../output-path.js';
import { createProgress, fitProgress } from '../progress.js';

/** The options of `typedlearn train`, as parsed. */
export interface TrainOptions {
  /** A registered model type. */
  model: string;
  out: string;
  data?: string;
  trainSize?: number;
  testSize?: number;
  preprocess?: PreprocessStep[];
  seed: number;
  /** Default: one per core. */
  threads?: number;
  set?: Record<string, unknown>;
}

/**
 * `typedlearn train`: fits the model (and its preprocessing), measures it on the data set's
 * test split, and saves it with that record (data set, sizes, test accuracy).
 */
export async function train(options: TrainOptions): Promise<void> {
  const model = createModel(options.model, options.set ?? {}, options.preprocess);
  await checkOutputPath(options.out, '--out');
  const dataset = loadDataset(options.data);
  const trainSet = samples(dataset.train, options.trainSize, '--train-size');
  const testSet = samples(dataset.test, options.testSize, '--test-size');

  const progress = createProgress();
  if (options.preprocess !== undefined && options.preprocess.length > 0) {
    process.stderr.write(
      `preprocessing: ${options.preprocess.map((step) => step.name).join(', ')}, fitted before the model\n`,
    );
  }
  // One pool of threads fits the model and predicts the test images.
  const { seconds, accuracy } = await withPool(
    options.threads ?? availableParallelism(),
    async (pool) => {
      const tracker = fitProgress(progress, `train ${options.model}`);
      const started = performance.now();
      try {
        await model.fit(trainSet.X, trainSet.y, {
          seed: options.seed,
          pool,
          onProgress: tracker.onProgress,
        });
      } finally {
        tracker.finish();
      }
      const fitSeconds = (performance.now() - started) / 1000;
      const tested = await test(model, testSet, `the ${options.model} model`, pool);
      return { seconds: fitSeconds, accuracy: tested.accuracy };
    },
  );
  const record: TrainingRecord = {
    dataset: dataset.name,
    trainRows: trainSet.y.length,
    testRows: testSet.y.length,
    testAccuracy: accuracy,
  };
  await saveModel(model, options.out, { info: { ...record } });
  const { size } = await stat(options.out);
  process.stdout.write(
    `trained ${options.model} on ${trainSet.y.length} images in ${seconds.toFixed(1)} s; ` +
      `test accuracy ${formatPercent(accuracy)} on ${testSet.y.length} images; ` +
      `saved ${options.out} (${formatBytes(size)})\n`,
  );
}
