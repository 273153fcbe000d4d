import {
  RandomForestClassifier,
  SoftmaxRegression,
  type Classifier,
} from '@typedlearn/classifiers';
import type { Tensor } from '@typedlearn/tensor';

/** The forest's impurity-based importance of each input feature (pixel). */
export function forestImportances(model: Classifier): Float32Array {
  if (!(model instanceof RandomForestClassifier)) {
    throw new TypeError(`expected a RandomForestClassifier, got ${model.constructor.name}`);
  }
  return model.featureImportances;
}

/** The softmax regression's weights [classes, features]. */
export function softmaxWeights(model: Classifier): Tensor {
  if (!(model instanceof SoftmaxRegression)) {
    throw new TypeError(`expected a SoftmaxRegression, got ${model.constructor.name}`);
  }
  return model.coef;
}
