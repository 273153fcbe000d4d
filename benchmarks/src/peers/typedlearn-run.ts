// typedlearn's side of every comparison, on one thread (as the peers run).
import {
  MLPClassifier,
  RandomForestClassifier,
  SVC,
  SoftmaxRegression,
  type Classifier,
} from '@typedlearn/classifiers';
import type { PrepareRun } from './data.js';

type Params = Record<string, number & string>;

function createModel(family: string, p: Params): Classifier {
  switch (family) {
    case 'softmax':
      return p.solver === 'lbfgs'
        ? new SoftmaxRegression({ C: p.C, solver: 'lbfgs', maxIter: p.maxIter, tol: p.tol })
        : new SoftmaxRegression({
            C: p.C,
            solver: 'adam',
            maxIter: p.epochs,
            batchSize: p.batchSize,
            learningRate: p.learningRate,
            tol: 0, // run every epoch, as tfjs does
          });
    case 'mlp':
      return new MLPClassifier({
        hiddenLayers: [p.hidden],
        epochs: p.epochs,
        batchSize: p.batchSize,
        learningRate: p.learningRate,
        l2: p.alpha / p.batchSize,
        dropout: 0,
        lrSchedule: 'constant',
      });
    case 'svm':
      return new SVC({ C: p.C, gamma: p.gamma, tol: p.tol, cacheBytes: p.cacheMB * 2 ** 20 });
    case 'forest':
      return new RandomForestClassifier({ nEstimators: p.trees, maxFeatures: p.maxFeatures });
  }
  throw new Error(`typedlearn has no model family '${family}'`);
}

export const prepareTypedlearn: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  const model = createModel(spec.family, spec.params as Params);
  return {
    fit: async () => void (await model.fit(XTrain, yTrain, { seed: spec.seed, threads: 1 })),
    predict: () => model.predict(XTest),
  };
};
