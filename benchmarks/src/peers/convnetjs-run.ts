// ConvNetJS 0.3.0 (Karpathy; pure JavaScript, one image at a time in Float64Arrays): the
// comparisons' convnet as ConvNetJS layers. ConvNetJS's Trainer knows sgd, adagrad, windowgrad
// and adadelta but not Adam (added to its repository after the last npm release), so the Adam
// step below updates the parameters from the gradients ConvNetJS's backward pass accumulates,
// exactly where its Trainer would (every batch_size images, gradient / batch size, then zeroed);
// the time is in ConvNetJS's forward and backward passes, not in this loop over 5,994 parameters.
import { createRequire } from 'node:module';
import { Rng } from '@typedlearn/tensor';
import type { PrepareRun } from './data.js';
import type { ConvNetParams } from './runs.js';

/** ConvNetJS's volume: sx x sy x depth values `w` (index (sx * y + x) * depth + d), gradients `dw`. */
interface Vol {
  sx: number;
  sy: number;
  depth: number;
  w: Float64Array;
  dw: Float64Array;
}

interface ParamsAndGrads {
  params: Float64Array;
  grads: Float64Array;
}

interface Net {
  makeLayers(defs: object[]): void;
  forward(input: Vol, isTraining?: boolean): Vol;
  /** Back-propagates the softmax loss of class `label`; the parameters' gradients add up. */
  backward(label: number): number;
  getParamsAndGrads(): ParamsAndGrads[];
}

interface ConvNetJS {
  Net: new () => Net;
  Vol: new (sx: number, sy: number, depth: number, fill?: number) => Vol;
}

/** Adam (Kingma & Ba 2015, Algorithm 1) on the mean gradient of each batch, in float64. */
class Adam {
  private m: Float64Array[] = [];
  private v: Float64Array[] = [];
  private step = 0;

  constructor(
    private readonly net: Net,
    private readonly p: ConvNetParams,
  ) {}

  /** One step on the gradients accumulated over `count` images, which it then zeroes. */
  update(count: number): void {
    const { beta1, beta2, epsilon, learningRate } = this.p;
    const blocks = this.net.getParamsAndGrads();
    if (this.m.length === 0) {
      this.m = blocks.map((b) => new Float64Array(b.params.length));
      this.v = blocks.map((b) => new Float64Array(b.params.length));
    }
    this.step++;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = 1 - beta2 ** this.step;
    blocks.forEach(({ params, grads }, i) => {
      const m = this.m[i];
      const v = this.v[i];
      for (let j = 0; j < params.length; j++) {
        const g = grads[j] / count;
        m[j] = beta1 * m[j] + (1 - beta1) * g;
        v[j] = beta2 * v[j] + (1 - beta2) * g * g;
        params[j] -=
          (learningRate * (m[j] / correction1)) / (Math.sqrt(v[j] / correction2) + epsilon);
        grads[j] = 0;
      }
    });
  }
}

/** `fn()` with Math.random drawing from a seeded generator: ConvNetJS initialises with it. */
function withSeededRandom<T>(seed: number, fn: () => T): T {
  const rng = new Rng(seed);
  const original = Math.random;
  Math.random = () => rng.uniform();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

export const prepareConvnetjs: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJS;
  const p = spec.params as unknown as ConvNetParams;
  const [height, width, channels] = p.imageShape;
  const net = new convnetjs.Net();
  const defs: object[] = [{ type: 'input', out_sx: width, out_sy: height, out_depth: channels }];
  for (const filters of p.filters) {
    defs.push(
      { type: 'conv', sx: p.kernelSize, filters, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: p.poolSize, stride: p.poolSize },
    );
  }
  // ConvNetJS puts the fully connected layer to the classes before its softmax layer itself.
  defs.push({ type: 'softmax', num_classes: p.classes });
  withSeededRandom(spec.seed, () => net.makeLayers(defs));

  // One input volume, refilled with each image (ConvNetJS's layers keep it only until backward):
  // copying 784 values costs nothing next to the convolutions, and spares a Vol per image.
  const size = height * width * channels;
  const input = new convnetjs.Vol(width, height, channels, 0);
  const train = XTrain.contiguous().data as Float32Array;
  const test = XTest.contiguous().data as Float32Array;
  const [nTrain] = XTrain.matrixShape('X');
  const [nTest] = XTest.matrixShape('X');
  const rng = new Rng(spec.seed);
  const adam = new Adam(net, p);
  return {
    fit: async () => {
      for (let epoch = 0; epoch < p.epochs; epoch++) {
        const order = rng.permutation(nTrain);
        for (let start = 0; start < nTrain; start += p.batchSize) {
          const end = Math.min(nTrain, start + p.batchSize);
          for (let k = start; k < end; k++) {
            const i = order[k];
            input.w.set(train.subarray(i * size, (i + 1) * size));
            net.forward(input, true);
            net.backward(yTrain[i]);
          }
          adam.update(end - start);
        }
      }
    },
    predict: () => {
      const labels = new Int32Array(nTest);
      for (let i = 0; i < nTest; i++) {
        input.w.set(test.subarray(i * size, (i + 1) * size));
        const probabilities = net.forward(input, false).w;
        let best = 0;
        for (let c = 1; c < probabilities.length; c++) {
          if (probabilities[c] > probabilities[best]) best = c;
        }
        labels[i] = best;
      }
      return labels;
    },
  };
};
