import { FormatError, ValueError } from '@typedlearn/tensor';
import type { Classifier, ModelState } from './classifier.js';
import { CNN_CLASSIFIER_PARAMETERS, ConvNetClassifier } from './cnn/index.js';
import {
  DECISION_TREE_PARAMETERS,
  DecisionTreeClassifier,
  RANDOM_FOREST_PARAMETERS,
  RandomForestClassifier,
} from './forest/index.js';
import type { HyperParameter } from './hyper-parameters.js';
import { MLP_CLASSIFIER_PARAMETERS, MLPClassifier } from './mlp/index.js';
import { SOFTMAX_REGRESSION_PARAMETERS, SoftmaxRegression } from './softmax/index.js';
import { SVC_PARAMETERS, SVC } from './svm/index.js';

/**
 * A classifier typedlearn knows, under the name model files, the CLI and the benchmarks use
 * for it: how to make one, how to restore a fitted one, and what its hyper-parameters are.
 * The registry is the one list of classifiers: the CLI's `--model` choices, `loadModel`, the
 * benchmarks and the conformance tests all come from it.
 */
export interface ModelEntry {
  /** The `modelType` its model files carry, e.g. `'svm'`. */
  modelType: string;
  /** A new unfitted classifier; `params` override its defaults (unknown ones are refused). */
  create(params?: Record<string, unknown>): Classifier;
  /** The fitted classifier a {@link ModelState} describes, validated. */
  fromState(state: ModelState): Classifier;
  /** Every hyper-parameter, with its default and meaning. */
  parameters: readonly HyperParameter[];
}

/** Restores a fitted classifier from its {@link ModelState}, validating it. */
export type FromState = ModelEntry['fromState'];

const BUILT_IN: readonly ModelEntry[] = [
  {
    modelType: 'softmax',
    create: (params) => new SoftmaxRegression(params),
    fromState: (state) => SoftmaxRegression.fromState(state),
    parameters: SOFTMAX_REGRESSION_PARAMETERS,
  },
  {
    modelType: 'svm',
    create: (params) => new SVC(params),
    fromState: (state) => SVC.fromState(state),
    parameters: SVC_PARAMETERS,
  },
  {
    modelType: 'forest',
    create: (params) => new RandomForestClassifier(params),
    fromState: (state) => RandomForestClassifier.fromState(state),
    parameters: RANDOM_FOREST_PARAMETERS,
  },
  {
    modelType: 'mlp',
    create: (params) => new MLPClassifier(params),
    fromState: (state) => MLPClassifier.fromState(state),
    parameters: MLP_CLASSIFIER_PARAMETERS,
  },
  {
    modelType: 'decision-tree',
    create: (params) => new DecisionTreeClassifier(params),
    fromState: (state) => DecisionTreeClassifier.fromState(state),
    parameters: DECISION_TREE_PARAMETERS,
  },
  {
    modelType: 'cnn',
    create: (params) => new ConvNetClassifier(params),
    fromState: (state) => ConvNetClassifier.fromState(state),
    parameters: CNN_CLASSIFIER_PARAMETERS,
  },
];

const registry = new Map<string, ModelEntry>(BUILT_IN.map((entry) => [entry.modelType, entry]));

/**
 * Adds a classifier of your own, so that `loadModel` restores it (and `createModel` makes
 * one). Registering the same entry again is harmless; another entry for a taken type is a
 * {@link ValueError}.
 */
export function registerModel(entry: ModelEntry): void {
  const known = registry.get(entry.modelType);
  if (known !== undefined && known !== entry) {
    throw new ValueError(`model type '${entry.modelType}' is already registered`);
  }
  registry.set(entry.modelType, entry);
}

/** The registered model types, built-in ones first in their usual order, then yours. */
export function modelTypes(): string[] {
  return [...registry.keys()];
}

/** The entry of `modelType`; an unknown type is a {@link ValueError} listing the known ones. */
export function modelEntry(modelType: string): ModelEntry {
  const entry = registry.get(modelType);
  if (entry === undefined) {
    throw new ValueError(
      `unknown model type '${modelType}': expected one of ${modelTypes().join(', ')}`,
    );
  }
  return entry;
}

/** A new unfitted classifier of `modelType` with `params` over its defaults. */
export function createModel(modelType: string, params: Record<string, unknown> = {}): Classifier {
  return modelEntry(modelType).create(params);
}

/**
 * The fitted classifier that `state` describes, restored by the `fromState` of its
 * `modelType`. An unknown type is a {@link FormatError} listing the known ones; the model's
 * own `fromState` validates the rest.
 */
export function modelFromState(state: ModelState): Classifier {
  const entry = registry.get(state.modelType);
  if (entry === undefined) {
    throw new FormatError(
      `unknown model type '${state.modelType}': this typedlearn knows ${modelTypes().join(', ')}`,
    );
  }
  return entry.fromState(state);
}
