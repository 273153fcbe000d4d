import { FormatError, ValueError } from '@typedlearn/tensor';
import type { Classifier, ModelState } from './classifier.js';
import { DecisionTreeClassifier, RandomForestClassifier } from './forest/index.js';
import { MLPClassifier } from './mlp/index.js';
import { SoftmaxRegression } from './softmax/index.js';
import { SVC } from './svm/index.js';

/** Rebuilds a fitted classifier from its {@link ModelState}, validating it (each model's static `fromState`). */
export type FromState = (state: ModelState) => Classifier;

/** The classifiers typedlearn ships, by the `modelType` they write into model files. */
const BUILT_IN: Record<string, FromState> = {
  svm: (state) => SVC.fromState(state),
  forest: (state) => RandomForestClassifier.fromState(state),
  'decision-tree': (state) => DecisionTreeClassifier.fromState(state),
  softmax: (state) => SoftmaxRegression.fromState(state),
  mlp: (state) => MLPClassifier.fromState(state),
};

const registry = new Map<string, FromState>(Object.entries(BUILT_IN));

/**
 * Teaches `modelFromState` (and so `loadModel`) a classifier of your own: `fromState` must
 * restore a model whose `toState().modelType` is `modelType`. Registering the same function
 * again is harmless; a different one for a taken type is a {@link ValueError}.
 */
export function registerModelType(modelType: string, fromState: FromState): void {
  const known = registry.get(modelType);
  if (known !== undefined && known !== fromState) {
    throw new ValueError(`model type '${modelType}' is already registered to another fromState`);
  }
  registry.set(modelType, fromState);
}

/** The model types `modelFromState` can restore, sorted. */
export function modelTypes(): string[] {
  return [...registry.keys()].sort();
}

/**
 * The fitted classifier that `state` describes, restored by the `fromState` of its
 * `modelType`. An unknown type is a {@link FormatError} listing the known ones; the model's
 * own `fromState` validates the rest.
 */
export function modelFromState(state: ModelState): Classifier {
  const fromState = registry.get(state.modelType);
  if (fromState === undefined) {
    throw new FormatError(
      `unknown model type '${state.modelType}': this typedlearn knows ${modelTypes().join(', ') || 'none'}`,
    );
  }
  return fromState(state);
}
