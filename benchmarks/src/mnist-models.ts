// The models `pnpm bench:mnist` can run: every registered classifier, by its model type (the
// name --models takes), built from its defaults overridden by --set name.key=value. Settings
// that belong to this benchmark alone are below.
import { createModel, modelTypes, type Classifier } from '@typedlearn/classifiers';

/** Builds an unfitted classifier; `params` are the --set overrides (empty: the defaults). */
export type ModelFactory = (params: Record<string, unknown>) => Classifier;

/**
 * This benchmark's own settings: the SVM as in the scikit-learn reference run (RBF, C = 5,
 * gamma = 'scale', a 1000 MB kernel cache, as scikit-learn's cache_size=1000).
 */
const BENCHMARK_SETTINGS: Record<string, Record<string, unknown>> = {
  svm: { C: 5, gamma: 'scale', cacheBytes: 1000 * 2 ** 20 },
};

export const MNIST_MODELS: Record<string, ModelFactory> = Object.fromEntries(
  modelTypes().map((type) => [
    type,
    (params: Record<string, unknown>) =>
      createModel(type, { ...BENCHMARK_SETTINGS[type], ...params }),
  ]),
);
