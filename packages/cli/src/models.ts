import {
  MLPClassifier,
  RandomForestClassifier,
  SVC,
  SoftmaxRegression,
  type Classifier,
} from '@typedlearn/classifiers';
import { ValueError } from '@typedlearn/tensor';
import type { ModelName } from './model-names.js';
import { UsageError } from './usage-error.js';

/** What each name builds, from hyper-parameters (`{}` gives the library's defaults). */
const FACTORIES: Record<ModelName, (params: Record<string, unknown>) => Classifier> = {
  softmax: (params) => new SoftmaxRegression(params),
  svm: (params) => new SVC(params),
  forest: (params) => new RandomForestClassifier(params),
  mlp: (params) => new MLPClassifier(params),
};

/**
 * A new unfitted `name` classifier with `params` (from `--set key=value`). A hyper-parameter
 * the model does not have, or a value out of range, is a {@link UsageError}.
 */
export function createModel(name: ModelName, params: Record<string, unknown>): Classifier {
  try {
    return FACTORIES[name](params);
  } catch (error) {
    if (error instanceof ValueError) throw new UsageError(`--set for ${name}: ${error.message}`);
    throw error;
  }
}
