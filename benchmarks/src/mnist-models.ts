// The models `pnpm bench:mnist` can run, by the name given to --models: each entry builds an
// unfitted classifier from hyper-parameters (its defaults overridden by --set name.key=value).
// One entry per model family; add yours here.
import {
  MLPClassifier,
  RandomForestClassifier,
  SVC,
  SoftmaxRegression,
  type Classifier,
} from '@typedlearn/classifiers';

/** Builds an unfitted classifier; `params` are the --set overrides (empty: the defaults). */
export type ModelFactory = (params: Record<string, unknown>) => Classifier;

export const MNIST_MODELS: Record<string, ModelFactory> = {
  softmax: (params) => new SoftmaxRegression(params),
  mlp: (params) => new MLPClassifier(params),
  forest: (params) => new RandomForestClassifier(params),
  // Issue 6's setting: RBF, C = 5, gamma = 'scale', a 1000 MB kernel cache (as scikit-learn's
  // reference run with cache_size=1000).
  svm: (params) => new SVC({ C: 5, gamma: 'scale', cacheBytes: 1000 * 2 ** 20, ...params }),
};
