import { stat } from 'node:fs/promises';
import type { Classifier } from '@typedlearn/classifiers';
import { saveModel } from '@typedlearn/classifiers/node';
import { Pipeline } from '@typedlearn/data';
import { loadDataset, samples } from '../dataset.js';
import { formatBytes } from '../format.js';
import { createModel } from '../models.js';
import type { PreprocessStep } from '../option-values.js';
import { createTransforms } from '../preprocessing.js';
import { createProgress, fitProgress } from '../progress.js';

/** The options of `typedlearn train`, as parsed. */
export interface TrainOptions {
  /** A registered model type. */
  model: string;
  out: string;
  data?: string;
  trainSize?: number;
  preprocess?: PreprocessStep[];
  seed: number;
  threads: number;
  set?: Record<string, unknown>;
}

/** `typedlearn train`: fits the model (and its preprocessing) and saves it. */
export async function train(options: TrainOptions): Promise<void> {
  const transforms = createTransforms(options.preprocess ?? []);
  const classifier = createModel(options.model, options.set ?? {});
  const model: Classifier | Pipeline<Classifier> =
    transforms.length === 0 ? classifier : new Pipeline(transforms, classifier);

  const progress = createProgress();
  const { X, y } = samples(loadDataset(options.data).train, options.trainSize);
  if (transforms.length > 0) {
    process.stderr.write(
      `preprocessing: ${transforms.map((t) => t.transformType).join(', ')}, fitted before the model\n`,
    );
  }
  const tracker = fitProgress(progress, `train ${options.model}`);
  const started = performance.now();
  try {
    await model.fit(X, y, {
      seed: options.seed,
      threads: options.threads,
      onProgress: tracker.onProgress,
    });
  } finally {
    tracker.finish();
  }
  const seconds = (performance.now() - started) / 1000;

  await saveModel(model, options.out);
  const { size } = await stat(options.out);
  process.stdout.write(
    `trained ${options.model} on ${y.length} images in ${seconds.toFixed(1)} s; ` +
      `saved ${options.out} (${formatBytes(size)})\n`,
  );
}
