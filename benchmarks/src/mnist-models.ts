// The models `pnpm bench:mnist` can run, by the name given to --models: each entry builds an
// unfitted classifier from hyper-parameters (its defaults overridden by --set name.key=value).
// One entry per model family; add yours here.
import {
  MLPClassifier,
  RandomForestClassifier,
  SoftmaxRegression,
  type Classifier,
} from '@typedlearn/classifiers';

/** Builds an unfitted classifier; `params` are the --set overrides (empty: the defaults). */
export type ModelFactory = (params: Record<string, unknown>) => Classifier;

export const MNIST_MODELS: Record<string, ModelFactory> = {
  softmax: (params) => new SoftmaxRegression(params),
  mlp: (params) => new MLPClassifier(params),
  forest: (params) => new RandomForestClassifier(params),
};
