import { RandomForestClassifier, type Classifier } from '@typedlearn/classifiers';

/** The forest's impurity-based importance of each input feature (pixel). */
export function forestImportances(model: Classifier): Float32Array {
  if (!(model instanceof RandomForestClassifier)) {
    throw new TypeError(`expected a RandomForestClassifier, got ${model.constructor.name}`);
  }
  return model.featureImportances;
}
