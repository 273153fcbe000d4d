// Gradient checks of the convolutional network: every layer's backward pass, and a whole small
// network's, against central finite differences, all in float64 (the layers' own code, run on
// Float64Arrays: see cnn/precision.ts), where a correct gradient agrees to about 1e-9 and a
// wrong one is off by its own size. The bound asked of each is a relative error of 1e-5.
import { describe, expect, it } from 'vitest';
import { Rng } from '@typedlearn/tensor';
import { AvgPool } from '../src/cnn/avg-pool.js';
import { Conv2d } from '../src/cnn/conv2d.js';
import { convGeometry } from '../src/cnn/conv-geometry.js';
import { ConvNet } from '../src/cnn/conv-net.js';
import { Dense } from '../src/cnn/dense.js';
import { DropoutLayer } from '../src/cnn/dropout-layer.js';
import type { Layer } from '../src/cnn/layer.js';
import type { LayerSpec } from '../src/cnn/layer-spec.js';
import { MaxPool } from '../src/cnn/max-pool.js';
import { ConvNetLayout } from '../src/cnn/network-layout.js';
import { poolGeometry } from '../src/cnn/pool-geometry.js';
import { Relu } from '../src/cnn/relu.js';

/** Central differences: step 1e-6 in float64 (truncation ~1e-12, rounding ~1e-10). */
const STEP = 1e-6;
const TOLERANCE = 1e-5;

function randomArray(length: number, rng: Rng, scale = 1): Float64Array {
  return Float64Array.from({ length }, () => rng.normal(0, scale));
}

/** ||a - b|| / max(||a||, ||b||), the usual relative error of a gradient check. */
function relativeError(a: Float64Array, b: Float64Array): number {
  let difference = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    difference += (a[i] - b[i]) ** 2;
    normA += a[i] ** 2;
    normB += b[i] ** 2;
  }
  return Math.sqrt(difference) / Math.max(Math.sqrt(normA), Math.sqrt(normB), 1e-300);
}

/** d f / d values[i] for every i, by central differences (values are restored). */
function numericGradient(f: () => number, values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const saved = values[i];
    values[i] = saved + STEP;
    const up = f();
    values[i] = saved - STEP;
    const down = f();
    values[i] = saved;
    out[i] = (up - down) / (2 * STEP);
  }
  return out;
}

interface LayerCase {
  layer: Layer;
  inputSize: number;
  outputSize: number;
  parameterCount: number;
  /** A fresh generator with a fixed seed for each forward pass: dropout's fixed mask. */
  training?: () => Rng;
}

/**
 * Checks one layer on 3 images through the scalar L = sum(output * R), R fixed and random, so
 * that d L / d output = R: backward from R must give the finite differences of L in every
 * input and every parameter. Returns the two relative errors.
 */
function checkLayer({ layer, inputSize, outputSize, parameterCount, training }: LayerCase) {
  const rows = 3;
  const rng = new Rng(17);
  const input = randomArray(rows * inputSize, rng);
  const params = randomArray(parameterCount, rng, 0.5);
  const R = randomArray(rows * outputSize, rng);
  const output = new Float64Array(rows * outputSize);
  const loss = () => {
    layer.forward(params, input, output, rows, training?.() ?? null);
    let total = 0;
    for (let i = 0; i < output.length; i++) total += output[i] * R[i];
    return total;
  };
  loss();
  const gradient = new Float64Array(parameterCount);
  const inputDelta = new Float64Array(rows * inputSize);
  layer.backward(params, gradient, input, output, R, inputDelta, rows);
  const inputError = relativeError(inputDelta, numericGradient(loss, input));
  const parameterError =
    parameterCount === 0 ? 0 : relativeError(gradient, numericGradient(loss, params));
  return { inputError, parameterError, inputDelta };
}

describe('CNN layer gradients (float64, central differences)', () => {
  const convCases: [string, LayerSpec & { type: 'conv2d' }, [number, number, number]][] = [
    ['3x3, no padding, stride 1', { type: 'conv2d', filters: 4, kernelSize: 3 }, [6, 5, 2]],
    [
      "5x5, padding 'same'",
      { type: 'conv2d', filters: 3, kernelSize: 5, padding: 'same' },
      [6, 6, 2],
    ],
    [
      '3x3, padding 1, stride 2',
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1, stride: 2 },
      [7, 6, 3],
    ],
    [
      "4x4 (even), padding 'same', stride 2",
      { type: 'conv2d', filters: 2, kernelSize: 4, padding: 'same', stride: 2 },
      [7, 5, 1],
    ],
  ];
  for (const [name, spec, shape] of convCases) {
    it(`conv2d ${name}`, () => {
      const geometry = convGeometry(spec, shape, 'test');
      const fanIn = geometry.kernel * geometry.kernel * geometry.channels;
      const block = {
        weightOffset: 0,
        fanIn,
        units: spec.filters,
        biasOffset: fanIn * spec.filters,
      };
      const outputSize = geometry.outHeight * geometry.outWidth * spec.filters;
      const { inputError, parameterError } = checkLayer({
        layer: new Conv2d(geometry, block, 3, 'float64'),
        inputSize: shape[0] * shape[1] * shape[2],
        outputSize,
        parameterCount: fanIn * spec.filters + spec.filters,
      });
      expect(inputError).toBeLessThan(TOLERANCE);
      expect(parameterError).toBeLessThan(TOLERANCE);
    });
  }

  const poolCases: [string, { size: number; stride?: number }, [number, number, number]][] = [
    ['2x2, stride 2', { size: 2 }, [6, 4, 3]],
    ['3x3, stride 2 (overlapping windows)', { size: 3, stride: 2 }, [7, 7, 2]],
    ['2x2 on odd sizes (windows cut at the edge)', { size: 2 }, [5, 3, 2]],
  ];
  for (const type of ['maxPool', 'avgPool'] as const) {
    for (const [name, options, shape] of poolCases) {
      it(`${type} ${name}`, () => {
        const geometry = poolGeometry({ type, ...options }, shape, 'test');
        const layer = type === 'maxPool' ? new MaxPool(geometry, 3) : new AvgPool(geometry);
        const { inputError } = checkLayer({
          layer,
          inputSize: shape[0] * shape[1] * shape[2],
          outputSize: geometry.outHeight * geometry.outWidth * geometry.channels,
          parameterCount: 0,
        });
        expect(inputError).toBeLessThan(TOLERANCE);
      });
    }
  }

  it('dense', () => {
    const [fanIn, units] = [7, 5];
    const { inputError, parameterError } = checkLayer({
      layer: new Dense({ weightOffset: 0, fanIn, units, biasOffset: fanIn * units }),
      inputSize: fanIn,
      outputSize: units,
      parameterCount: fanIn * units + units,
    });
    expect(inputError).toBeLessThan(TOLERANCE);
    expect(parameterError).toBeLessThan(TOLERANCE);
  });

  it('relu', () => {
    const { inputError } = checkLayer({
      layer: new Relu(11),
      inputSize: 11,
      outputSize: 11,
      parameterCount: 0,
    });
    expect(inputError).toBeLessThan(TOLERANCE);
  });

  it('dropout with a fixed mask', () => {
    const { inputError, inputDelta } = checkLayer({
      layer: new DropoutLayer(12, 0.4, 3),
      inputSize: 12,
      outputSize: 12,
      parameterCount: 0,
      training: () => new Rng(5),
    });
    expect(inputError).toBeLessThan(TOLERANCE);
    // Some inputs were dropped: their gradient is exactly 0.
    expect(inputDelta.some((d) => d === 0)).toBe(true);
  });

  it('softmax cross-entropy, weighted', () => {
    const layout = new ConvNetLayout([1, 4, 1], [], 3);
    const net = new ConvNet(layout, 4, 'float64');
    const rng = new Rng(2);
    const logits = randomArray(12, rng, 2);
    const labels = Int32Array.from([0, 2, 1, 2]);
    const weights = Float64Array.from([1, 0.5, 2, 0]);
    const scale = 1 / 3.5;
    // L = scale * sum_r w_r CE_r; crossEntropy leaves d L / d logits in the logits' buffer.
    const loss = () => {
      net.logits.set(logits);
      return scale * net.crossEntropy(labels, 4, scale, weights);
    };
    loss();
    const analytic = Float64Array.from(net.logits.subarray(0, 12));
    const numeric = numericGradient(loss, logits);
    expect(relativeError(analytic, numeric)).toBeLessThan(TOLERANCE);
  });
});

describe('a whole small network (float64, central differences)', () => {
  const layers: LayerSpec[] = [
    { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1, stride: 2 },
    { type: 'relu' },
    { type: 'avgPool', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 6 },
    { type: 'relu' },
    { type: 'dropout', rate: 0.3 },
  ];

  it('matches the finite differences of the weighted mean cross-entropy in every parameter', () => {
    const layout = new ConvNetLayout([9, 8, 2], layers, 3);
    const rows = 4;
    const net = new ConvNet(layout, rows, 'float64');
    const rng = new Rng(23);
    net.input.set(randomArray(rows * layout.features, rng));
    const params = randomArray(layout.parameterCount, rng, 0.5);
    const labels = Int32Array.from([0, 1, 2, 1]);
    const weights = Float64Array.from([1, 2, 0.5, 1]);
    const scale = 1 / 4.5;
    const loss = () => {
      net.forward(params, rows, new Rng(9));
      return scale * net.crossEntropy(labels, rows, scale, weights);
    };
    loss();
    const gradient = new Float64Array(layout.parameterCount);
    net.backward(params, gradient, rows);
    const error = relativeError(gradient, numericGradient(loss, params));
    expect(error).toBeLessThan(TOLERANCE);
  });
});
