import { Pipeline, transformFromState } from '@typedlearn/data';
import { FormatError, TypedlearnError } from '@typedlearn/tensor';
import type { Classifier } from '../classifier.js';
import { modelFromState } from '../registry.js';
import type { ModelFile } from './model-format.js';

/** What a model file stores and restores: a fitted classifier, or a Pipeline of transforms ending in one. */
export type SavedModel = Classifier | Pipeline<Classifier>;

/** The plain-data form of a fitted classifier or pipeline, ready for `encodeModel`. */
export function modelFile(model: SavedModel): ModelFile {
  return model instanceof Pipeline
    ? {
        model: model.estimator.toState(),
        preprocessing: model.transforms.map((transform) => transform.toState()),
      }
    : { model: model.toState(), preprocessing: [] };
}

/**
 * The working model a {@link ModelFile} describes: the classifier restored by its registered
 * `fromState`, wrapped in a Pipeline with its restored transforms when it has preprocessing.
 * Whatever the restorers refuse becomes a {@link FormatError} that starts with `source`.
 */
export function modelFromFile(file: ModelFile, source = 'model file'): SavedModel {
  try {
    const classifier = modelFromState(file.model);
    if (file.preprocessing.length === 0) return classifier;
    return new Pipeline(file.preprocessing.map(transformFromState), classifier);
  } catch (error) {
    if (!(error instanceof TypedlearnError)) throw error;
    throw new FormatError(`${source} holds a model typedlearn cannot restore: ${error.message}`, {
      cause: error,
    });
  }
}

/** The classifier of a saved model: the model itself, or a Pipeline's final estimator. */
export function classifierOf(model: SavedModel): Classifier {
  return model instanceof Pipeline ? model.estimator : model;
}
