// ml-random-forest (ml.js): bagged CART trees on arrays of numbers. It draws one random feature
// subset per tree (`maxFeatures`), where scikit-learn and typedlearn draw one per node, so the
// closest setting is sqrt(784) = 28 features for each tree.
import { RandomForestClassifier } from 'ml-random-forest';
import { toNestedArrays, type PrepareRun } from './data.js';

export const prepareMlRandomForest: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  const p = spec.params as { trees: number };
  const [, nFeatures] = XTrain.matrixShape('X');
  const samples = toNestedArrays(XTrain);
  const testSamples = toNestedArrays(XTest);
  const forest = new RandomForestClassifier({
    nEstimators: p.trees,
    maxFeatures: Math.floor(Math.sqrt(nFeatures)),
    replacement: false,
    useSampleBagging: true,
    seed: spec.seed,
    noOOB: true,
  });
  const labels = Array.from(yTrain);
  return {
    fit: async () => forest.train(samples, labels),
    predict: () => forest.predict(testSamples),
  };
};
