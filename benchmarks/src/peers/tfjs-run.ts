// @tensorflow/tfjs on its pure-JavaScript CPU backend: softmax regression as one dense layer,
// and the MLP, trained by model.fit with Adam (no WebGL, no native tfjs-node).
import * as tf from '@tensorflow/tfjs';
import type { PrepareRun } from './data.js';
import { prepareTfjsConvNet } from './tfjs-convnet-run.js';

type Params = Record<string, number>;

export const prepareTfjs: PrepareRun = async (spec, data) => {
  if (spec.family === 'convnet') return prepareTfjsConvNet(spec, data);
  const { XTrain, yTrain, XTest } = data;
  await tf.setBackend('cpu');
  const p = spec.params as Params;
  const [nTrain, nFeatures] = XTrain.matrixShape('X');
  const xs = tf.tensor2d(XTrain.contiguous().data as Float32Array, [nTrain, nFeatures]);
  const ys = tf.oneHot(tf.tensor1d(yTrain, 'int32'), 10);
  const xTest = tf.tensor2d(XTest.contiguous().data as Float32Array, XTest.matrixShape('X'));
  const seed = spec.seed;

  const model = tf.sequential();
  if (spec.family === 'softmax') {
    model.add(
      tf.layers.dense({
        inputShape: [nFeatures],
        units: 10,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        kernelRegularizer: tf.regularizers.l2({ l2: p.l2 }),
      }),
    );
  } else if (spec.family === 'mlp') {
    const l2 = p.alpha / (2 * p.batchSize);
    model.add(
      tf.layers.dense({
        inputShape: [nFeatures],
        units: p.hidden,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
        kernelRegularizer: tf.regularizers.l2({ l2 }),
      }),
    );
    model.add(
      tf.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
        kernelRegularizer: tf.regularizers.l2({ l2 }),
      }),
    );
  } else {
    throw new Error(`the tfjs peer has no model family '${spec.family}'`);
  }
  model.compile({ optimizer: tf.train.adam(p.learningRate), loss: 'categoricalCrossentropy' });
  return {
    fit: async () =>
      void (await model.fit(xs, ys, {
        epochs: p.epochs,
        batchSize: p.batchSize,
        shuffle: true,
        verbose: 0,
      })),
    predict: () => tf.tidy(() => (model.predict(xTest) as tf.Tensor).argMax(-1)).dataSync(),
  };
};
