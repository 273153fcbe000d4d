// typedlearn's side of every comparison, on one thread (as the peers run).
import { type Classifier, createModel, integerLabels } from '@typedlearn/classifiers';
import { setBackend, type Backend } from '@typedlearn/tensor';
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
    case 'convnet': {
      // Each convolution (valid, stride 1) with its max pooling and ReLU (in that order: they
      // commute, and ReLU then runs on a quarter of the values); the flatten, the dense layer to
      // the classes and the softmax are implied. Adam's betas and epsilon are
      // ConvNetClassifier's own (0.9, 0.999, 1e-8).
      const cnn = p as unknown as { filters: number[]; kernelSize: number; poolSize: number };
      return createModel('cnn', {
        imageShape: p.imageShape,
        layers: cnn.filters.flatMap((filters) => [
          { type: 'conv2d', filters, kernelSize: cnn.kernelSize, stride: 1, padding: 0 },
          { type: 'maxPool', size: cnn.poolSize, stride: cnn.poolSize },
          { type: 'relu' },
        ]),
        solver: 'adam',
        learningRate: p.learningRate,
        batchSize: p.batchSize,
        epochs: p.epochs,
        l2: 0,
        lrSchedule: 'constant',
        augment: null,
        validationFraction: 0,
      });
    }
  }
  throw new Error(`typedlearn has no model family '${family}'`);
}

export const prepareTypedlearn: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  // The convnet runs name their backend; the other runs use the default (wasm-simd where the
  // engine has WebAssembly SIMD).
  const backend = (spec.params as { backend?: Backend }).backend;
  if (backend !== undefined) setBackend(backend);
  const model = peerModel(spec.family, spec.params as Params);
  return {
    fit: async () => void (await model.fit(XTrain, yTrain, { seed: spec.seed, threads: 1 })),
    predict: () => integerLabels(model.predict(XTest)),
  };
};
