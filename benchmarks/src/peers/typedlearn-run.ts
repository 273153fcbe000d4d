// typedlearn's side of every comparison, on one thread (as the peers run).
import { type Classifier, createModel, integerLabels } from '@typedlearn/classifiers';
import type { PrepareRun } from './data.js';

type Params = Record<string, number & string>;

/** The model of `family` with the peer comparison's settings, in typedlearn's vocabulary. */
function peerModel(family: string, p: Params): Classifier {
  switch (family) {
    case 'softmax':
      return p.solver === 'lbfgs'
        ? createModel('softmax', { C: p.C, solver: 'lbfgs', maxIter: p.maxIter, tol: p.tol })
        : createModel('softmax', {
            C: p.C,
            solver: 'adam',
            maxIter: p.epochs,
            batchSize: p.batchSize,
            learningRate: p.learningRate,
            tol: 0, // run every epoch, as tfjs does
          });
    case 'mlp':
      return createModel('mlp', {
        hiddenLayers: [p.hidden],
        epochs: p.epochs,
        batchSize: p.batchSize,
        learningRate: p.learningRate,
        l2: p.alpha / p.batchSize,
        dropout: 0,
        lrSchedule: 'constant',
      });
    case 'svm':
      return createModel('svm', {
        C: p.C,
        gamma: p.gamma,
        tol: p.tol,
        cacheBytes: p.cacheMB * 2 ** 20,
      });
    case 'forest':
      return createModel('forest', { nEstimators: p.trees, maxFeatures: p.maxFeatures });
  }
  throw new Error(`typedlearn has no model family '${family}'`);
}

export const prepareTypedlearn: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  const model = peerModel(spec.family, spec.params as Params);
  return {
    fit: async () => void (await model.fit(XTrain, yTrain, { seed: spec.seed, threads: 1 })),
    predict: () => integerLabels(model.predict(XTest)),
  };
};
