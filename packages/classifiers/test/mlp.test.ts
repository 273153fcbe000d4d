import { describe, expect, it } from 'vitest';
import { Rng, Tensor, allocate, applyDropoutMask, countNonzeros } from '@typedlearn/tensor';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { MLPClassifier } from '../src/mlp/index.js';
import type { Activation } from '../src/mlp/activation.js';
import { sampleMasks } from '../src/mlp/dropout.js';
import { allocateInputMemory, createInputLayer } from '../src/mlp/input-layer.js';
import { MlpLayout } from '../src/mlp/layout.js';
import { allocateBatchBuffers } from '../src/mlp/network-memory.js';
import { NetworkPass } from '../src/mlp/network-pass.js';
import { blobs } from './helpers/conformance.js';

const small = { hiddenLayers: [16], epochs: 30, batchSize: 16, learningRate: 0.01, dropout: 0 };

/** Rows with about 40% exact zeros, like sparse images. */
function sparseRows(rows: number, features: number, rng: Rng): Float32Array {
  const x = new Float32Array(rows * features);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform() < 0.4 ? 0 : rng.uniform();
  return x;
}

describe('MLP backpropagation', () => {
  const [rows, features, classes] = [9, 6, 3];
  const rng = new Rng(7);
  const x = sparseRows(rows, features, rng);
  const labels = Int32Array.from({ length: rows }, (_, i) => i % classes);
  const rowList = Int32Array.from({ length: rows }, (_, i) => i);

  /** A network over the rows of `x`, every row in one batch, with weights drawn from N(0, 0.25). */
  function network(
    activation: Activation,
    hidden: number[],
    sparse: boolean,
    l2: number,
    keep: number,
  ): NetworkPass {
    const sizes = [features, ...hidden, classes];
    const layout = new MlpLayout(sizes);
    const init = new Rng(3);
    const pass = new NetworkPass({
      id: 'gradient-check',
      sizes,
      activation,
      batchSize: rows,
      keep,
      l2,
      params: Float32Array.from({ length: layout.parameterCount }, () => init.normal(0, 0.5)),
      gradient: new Float32Array(layout.parameterCount),
      ...allocateBatchBuffers(sizes, rows, keep < 1, allocate),
      input: allocateInputMemory(x, rows, features, sparse ? countNonzeros(x) : null, rows, false),
      rowLists: {},
    });
    pass.memory.labels.set(labels);
    if (keep < 1) sampleMasks(pass.memory.masks, hidden, rows, keep, new Rng(11));
    return pass;
  }

  /** The mean loss (cross-entropy + L2 term); with `backward`, its gradient too. */
  function lossOf(pass: NetworkPass, backward: boolean): number {
    const { layout, memory } = pass;
    const dropout = memory.keep < 1;
    pass.input.prepare(rowList, rows);
    for (let l = 0; l < layout.layers; l++) {
      pass.forwardLayer(l, 0, rows, dropout);
    }
    const crossEntropy = pass.crossEntropy(rows);
    if (backward) {
      for (let l = layout.layers - 1; l >= 1; l--) {
        pass.backwardLayer(l, rows, 0, memory.sizes[l + 1], 0, memory.sizes[l], dropout);
      }
      pass.inputGradient(rows, 0, memory.sizes[0]);
    }
    return crossEntropy / rows + 0.5 * memory.l2 * pass.weightSquares();
  }

  /**
   * Compares the backward pass with central differences of the loss, coordinate by
   * coordinate. The network computes in float32, so the step is 3e-3 (rounding error in the
   * loss, ~1e-7, then costs ~3e-5) and the tolerance is that of float32 arithmetic; a wrong
   * formula gives errors of the gradient's own size.
   */
  function gradientCheck(pass: NetworkPass) {
    const { params, gradient } = pass.memory;
    lossOf(pass, true);
    const analytic = gradient.slice();
    const h = 3e-3;
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < params.length; i++) {
      const saved = params[i];
      params[i] = saved + h;
      const up = lossOf(pass, false);
      params[i] = saved - h;
      const down = lossOf(pass, false);
      params[i] = saved;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - analytic[i]));
      largest = Math.max(largest, Math.abs(analytic[i]));
    }
    expect(largest).toBeGreaterThan(0.05);
    expect(worst).toBeLessThan(2e-3 * Math.max(1, largest));
  }

  for (const activation of ['relu', 'tanh'] as const) {
    it(`matches finite differences: ${activation}, two hidden layers, L2, sparse input`, () => {
      gradientCheck(network(activation, [5, 4], true, 0.1, 1));
    });

    it(`matches finite differences: ${activation}, one hidden layer, L2, dense input`, () => {
      gradientCheck(network(activation, [5], false, 0.05, 1));
    });

    it(`matches finite differences: ${activation} with a fixed dropout mask`, () => {
      gradientCheck(network(activation, [5, 4], true, 0.01, 0.7));
    });
  }

  it('gives the same products through the sparse and the dense first layer', () => {
    const units = 7;
    const W = Float32Array.from({ length: features * units }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: units }, (_, i) => i / 10);
    const batch = Int32Array.from([4, 0, 8, 4, 2]);
    const dZ = Float32Array.from({ length: batch.length * units }, (_, i) => Math.cos(i));
    const results = [true, false].map((sparse) => {
      const layer = createInputLayer(
        allocateInputMemory(
          x,
          rows,
          features,
          sparse ? countNonzeros(x) : null,
          batch.length,
          false,
        ),
      );
      layer.prepare(batch, batch.length);
      const Z = new Float32Array(batch.length * units);
      const dW = new Float32Array(features * units);
      // In two ranges of rows of Z and of dW, as threads would split them.
      layer.forward(W, b, units, Z, 0, 3);
      layer.forward(W, b, units, Z, 3, batch.length);
      layer.weightGradient(dZ, units, dW, 0, 5);
      layer.weightGradient(dZ, units, dW, 5, features);
      return { Z, dW };
    });
    for (const key of ['Z', 'dW'] as const) {
      const [sparse, dense] = [results[0][key], results[1][key]];
      for (let i = 0; i < sparse.length; i++) expect(sparse[i]).toBeCloseTo(dense[i], 5);
    }
    // Row 0 of the batch is X row 4 times W, plus b.
    for (let u = 0; u < units; u++) {
      let z = b[u];
      for (let j = 0; j < features; j++) z += x[4 * features + j] * W[j * units + u];
      expect(results[0].Z[u]).toBeCloseTo(z, 5);
    }
  });

  it('inverted dropout keeps the expected activation', () => {
    const masks = [new Uint8Array(1000)];
    sampleMasks(masks, [1000], 1, 0.75, new Rng(5));
    const a = new Float32Array(1000).fill(1);
    applyDropoutMask(a, masks[0], 0.75, 0, 1000);
    const kept = a.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(kept.length / 1000).toBeCloseTo(0.75, 1);
  });
});

describe('MLPClassifier', () => {
  it('records a per-epoch history and reports it as progress', async () => {
    const { X, y } = blobs(30);
    const reported: number[] = [];
    const model = await new MLPClassifier({ ...small, epochs: 4, validationFraction: 0.2 }).fit(
      X,
      y,
      { onProgress: (p) => reported.push(p.step) },
    );
    expect(reported).toEqual([1, 2, 3, 4]);
    const { history } = model.info; // typed: MLPFitInfo
    expect(history).toHaveLength(4);
    for (const record of history) {
      expect(record.loss).toBeGreaterThan(0);
      expect(record.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(record.validationAccuracy).toBeGreaterThanOrEqual(0);
    }
    expect(history[3].loss).toBeLessThan(history[0].loss);
  });

  it('early stopping keeps the weights of the best validation epoch', async () => {
    const { X, y } = blobs(40);
    const model = await new MLPClassifier({
      ...small,
      epochs: 200,
      learningRate: 0.05,
      validationFraction: 0.25,
      earlyStopping: true,
      patience: 3,
    }).fit(X, y);
    const { history, stopReason, bestEpoch } = model.info;
    expect(stopReason).toBe('early-stopping');
    expect(history.length).toBe(bestEpoch + 3);
    const best = history[bestEpoch - 1].validationAccuracy!;
    for (const record of history) expect(record.validationAccuracy).toBeLessThanOrEqual(best);
  });

  it('exposes each layer’s weights with their shapes', async () => {
    const { X, y } = blobs();
    const model = await new MLPClassifier({ ...small, hiddenLayers: [4, 5], epochs: 1 }).fit(X, y);
    expect(model.weights(0).shape).toEqual([6, 4]);
    expect(model.weights(1).shape).toEqual([4, 5]);
    expect(model.weights(2).shape).toEqual([5, 3]);
    expect(model.bias(2).shape).toEqual([3]);
    expect(() => model.weights(3)).toThrow(/l must be an integer >= 0 and <= 2/);
  });

  it('refuses inconsistent hyper-parameters', () => {
    expect(() => new MLPClassifier({ hiddenLayers: [] })).toThrow(/hiddenLayers/);
    expect(() => new MLPClassifier({ hiddenLayers: [10, 0] })).toThrow(/hiddenLayers\[1\]/);
    expect(() => new MLPClassifier({ earlyStopping: true })).toThrow(/validationFraction > 0/);
    expect(() => new MLPClassifier({ dropout: 1 })).toThrow(/dropout/);
  });

  it('learns MNIST digits from 2000 images', async () => {
    const mnist = loadMnist();
    const X = toFloat01(flattenImages(mnist.train.images)).slice(0, 2000);
    const y = mnist.train.labels.subarray(0, 2000);
    const Xtest = toFloat01(flattenImages(mnist.test.images)).slice(0, 1000);
    const model = await new MLPClassifier({ hiddenLayers: [64], epochs: 5, batchSize: 32 }).fit(
      X,
      y,
    );
    expect(model.info.sparseInput).toBe(true);
    expect(model.score(Xtest, mnist.test.labels.subarray(0, 1000))).toBeGreaterThan(0.85);
  });

  for (const inputFormat of ['sparse', 'dense'] as const) {
    it(`gives identical weights on 1 and 2 threads (${inputFormat} first layer)`, async () => {
      const mnist = loadMnist();
      const X = toFloat01(flattenImages(mnist.train.images)).slice(0, 512);
      const y = mnist.train.labels.subarray(0, 512);
      // Layers wide enough that every step and the update are split between the threads
      // (phase-runner.ts's thresholds).
      const options = { hiddenLayers: [1024, 512], batchSize: 128, epochs: 2, inputFormat };
      const one = await new MLPClassifier(options).fit(X, y, { threads: 1, seed: 5 });
      const two = await new MLPClassifier(options).fit(X, y, { threads: 2, seed: 5 });
      const [a, b] = [one.toState().tensors, two.toState().tensors];
      for (const name of Object.keys(a)) expect(b[name].toArray()).toEqual(a[name].toArray());
      expect(two.info.history).toHaveLength(2);
    });
  }

  it('stops on 2 threads when its signal is aborted between epochs', async () => {
    const mnist = loadMnist();
    const X = toFloat01(flattenImages(mnist.train.images)).slice(0, 512);
    const y = mnist.train.labels.subarray(0, 512);
    const controller = new AbortController();
    const epochs: number[] = [];
    const fit = new MLPClassifier({ hiddenLayers: [1024], batchSize: 128, epochs: 50 }).fit(X, y, {
      threads: 2,
      signal: controller.signal,
      onProgress: (progress) => {
        epochs.push(progress.step);
        controller.abort(new Error('enough'));
      },
    });
    await expect(fit).rejects.toThrow('enough');
    expect(epochs).toEqual([1]);
  });

  it('trains to the same weights from dense and sparse first layers (up to rounding)', async () => {
    const rng = new Rng(1);
    const X = new Tensor(sparseRows(60, 8, rng), [60, 8]);
    const y = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    const fit = (inputFormat: 'dense' | 'sparse') =>
      new MLPClassifier({ ...small, epochs: 3, inputFormat }).fit(X, y);
    const [dense, sparse] = [await fit('dense'), await fit('sparse')];
    const a = dense.weights(0).data;
    const b = sparse.weights(0).data;
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
  });
});
