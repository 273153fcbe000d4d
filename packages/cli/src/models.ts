import { createModel as createRegisteredModel, type Classifier } from '@typedlearn/classifiers';
import { Pipeline } from '@typedlearn/data';
import { ValueError } from '@typedlearn/tensor';
import type { PreprocessStep } from './option-values.js';
import { createTransforms } from './preprocessing.js';
import { UsageError } from './usage-error.js';

/** What the commands train: a classifier, or a Pipeline of transforms ending in one. */
export type TrainableModel = Classifier | Pipeline<Classifier>;

/**
 * A new unfitted classifier of a registered model type (`--model`), with `params` from
 * `--set key=value`, after the `--preprocess` steps when there are any. A hyper-parameter the
 * model does not have, or a value out of range, is a {@link UsageError}.
 */
export function createModel(
  name: string,
  params: Record<string, unknown>,
  preprocess: readonly PreprocessStep[] = [],
): TrainableModel {
  let classifier: Classifier;
  try {
    classifier = createRegisteredModel(name, params);
  } catch (error) {
    if (error instanceof ValueError) throw new UsageError(`--set for ${name}: ${error.message}`);
    throw error;
  }
  const transforms = createTransforms(preprocess);
  return transforms.length === 0 ? classifier : new Pipeline(transforms, classifier);
}

/** `deskew -> pca=80 -> svm C=10 gamma=0.0389`: the steps and the settings that differ from the defaults. */
export function describeModel(
  name: string,
  params: Record<string, unknown>,
  preprocess: readonly PreprocessStep[] = [],
): string {
  const steps = preprocess.map(({ name: step, value }) =>
    value === undefined ? step : `${step}=${value}`,
  );
  const settings = Object.entries(params).map(
    ([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return [...steps, [name, ...settings].join(' ')].join(' -> ');
}
