// @tensorflow/tfjs's convnet: the TensorFlow.js MNIST example's network as tf.layers, trained by
// model.fit with Adam on the pure-JavaScript CPU backend. After its prediction, the same network
// predicts the test rows again on tfjs's WebAssembly backend (XNNPACK with SIMD, one thread),
// which cannot train it (no `Conv2DBackpropFilter` kernel for 'wasm'): the weights move across.
import * as tf from '@tensorflow/tfjs';
import type { PrepareRun } from './data.js';
import type { ConvNetParams } from './runs.js';

export const prepareTfjsConvNet: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  await tf.setBackend('cpu');
  const p = spec.params as unknown as ConvNetParams;
  const [height, width, channels] = p.imageShape;
  const image = (X: typeof XTrain) =>
    tf.tensor4d(X.contiguous().data as Float32Array, [
      X.matrixShape('X')[0],
      height,
      width,
      channels,
    ]);
  const xs = image(XTrain);
  const ys = tf.oneHot(tf.tensor1d(yTrain, 'int32'), p.classes);
  let xTest = image(XTest);

  const model = tf.sequential();
  p.filters.forEach((filters, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: p.imageShape } : {}),
        filters,
        kernelSize: p.kernelSize,
        strides: 1,
        padding: 'valid',
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + i }),
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: p.poolSize, strides: p.poolSize }));
  });
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: p.classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + p.filters.length }),
    }),
  );
  model.compile({
    optimizer: tf.train.adam(p.learningRate, p.beta1, p.beta2, p.epsilon),
    loss: 'categoricalCrossentropy',
  });
  const predict = () => tf.tidy(() => (model.predict(xTest) as tf.Tensor).argMax(-1)).dataSync();
  return {
    fit: async () =>
      void (await model.fit(xs, ys, {
        epochs: p.epochs,
        batchSize: p.batchSize,
        shuffle: true,
        verbose: 0,
      })),
    predict,
    alsoPredict:
      spec.alsoMeasures === undefined
        ? undefined
        : {
            key: spec.alsoMeasures,
            prepare: async () => {
              const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
              setThreadsCount(1);
              if (!(await tf.setBackend('wasm')))
                throw new Error('tfjs: the wasm backend did not start');
              // The test rows are made on the wasm backend (not timed); the weights move on first use.
              xs.dispose();
              ys.dispose();
              xTest.dispose();
              xTest = image(XTest);
            },
            predict,
          },
  };
};
