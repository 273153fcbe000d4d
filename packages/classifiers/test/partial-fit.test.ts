// partialFit, scikit-learn's partial_fit, for the models trained by mini-batches
// (SoftmaxRegression with 'adam' or 'sgd', MLPClassifier): one call is one epoch over its
// rows, continuing the parameters and the optimiser's state. The tests hold partialFit to
// fit bit for bit wherever the two must agree exactly:
// - one call over all the rows is fit's first epoch (same seed use, same schedule at epoch 0);
// - k calls over two rows are fit's k epochs (with two rows in one batch, the order the rows
//   are shuffled into cannot change a sum, so the optimiser's state and the learning-rate
//   schedule are all that could differ);
// - a model fitted by fit continues its optimiser exactly as one whose first epoch was a
//   partialFit call, whatever the buffers the calls in between left behind;
// - a model restored from a file starts a fresh optimiser, exactly as a new model does from
//   the same weights.
// Elsewhere (batches of a shuffled data set), accuracy is compared with fit's.
import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, Tensor, ValueError } from '@typedlearn/tensor';
import { flattenImages, takeLabels, takeRows, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import {
  MLPClassifier,
  RandomForestClassifier,
  SVC,
  SoftmaxRegression,
  type Classifier,
  type FitProgress,
  type MLPClassifierOptions,
  type ModelState,
  type PartialFitOptions,
  type SoftmaxRegressionOptions,
} from '../src/index.js';
import { initializeWeights } from '../src/mlp/initialization.js';
import { MlpLayout } from '../src/mlp/layout.js';
import { blobs } from './helpers/conformance.js';

const CLASSES = [2, 5, 9];

/**
 * Where the states of two models first differ, bit for bit (`'layers.0.weight[12]: 0.25 vs
 * 0.5'`), or null when every tensor holds the same bits.
 */
function firstDifference(a: Classifier, b: Classifier): string | null {
  const [x, y] = [a.toState().tensors, b.toState().tensors];
  const names = Object.keys(x).sort();
  if (names.join() !== Object.keys(y).sort().join()) return 'different tensors';
  for (const name of names) {
    const [u, v] = [x[name].data, y[name].data];
    if (u.length !== v.length) return `${name}: ${u.length} vs ${v.length} values`;
    const [ub, vb] = [new Uint32Array(u.slice().buffer), new Uint32Array(v.slice().buffer)];
    for (let i = 0; i < ub.length; i++) {
      if (ub[i] !== vb[i]) return `${name}[${i}]: ${u[i]} vs ${v[i]}`;
    }
  }
  return null;
}

/** Expects `a` and `b` to hold the same bits in every tensor. */
function expectSameModel(a: Classifier, b: Classifier): void {
  expect(firstDifference(a, b)).toBeNull();
}

/** `X` with about `fraction` of its values set to 0 (seeded), so 'auto' picks sparse products. */
function withZeros(X: Tensor, fraction: number, seed: number): Tensor {
  const rng = new Rng(seed);
  const data = X.data.map((v) => (rng.uniform() < fraction ? 0 : v));
  return new Tensor(data, X.shape);
}

/** Rows [start, end) of X and y. */
function rowsOf(X: Tensor, y: Int32Array, start: number, end: number) {
  return { X: X.slice(start, end), y: y.subarray(start, end) };
}

const SOFTMAX = { learningRate: 0.05, batchSize: 16, lrSchedule: 'cosine' } as const;
const MLP = { hiddenLayers: [8, 6], batchSize: 16, learningRate: 0.01, dropout: 0.2 };

/** A new model of `kind` with these hyper-parameters. */
function create(kind: 'softmax' | 'mlp', params: object): Classifier {
  return kind === 'softmax'
    ? new SoftmaxRegression(params as Partial<SoftmaxRegressionOptions>)
    : new MLPClassifier(params as Partial<MLPClassifierOptions>);
}

/** The hyper-parameter that counts epochs. */
const EPOCHS = { softmax: 'maxIter', mlp: 'epochs' } as const;

describe('one partialFit call over all the rows is the first epoch of fit, bit for bit', () => {
  const { X, y } = blobs(20);
  const weights = Float64Array.from({ length: y.length }, (_, i) => (i % 4) * 0.5);
  const cases = [
    ['softmax', { ...SOFTMAX, solver: 'adam', inputFormat: 'dense' }],
    ['softmax', { ...SOFTMAX, solver: 'sgd', inputFormat: 'sparse' }],
    ['mlp', { ...MLP, solver: 'adam', inputFormat: 'sparse' }],
    ['mlp', { ...MLP, solver: 'sgd', activation: 'tanh', inputFormat: 'dense' }],
  ] as const;
  for (const [kind, params] of cases) {
    for (const sampleWeight of [undefined, weights]) {
      it(`${kind} ${JSON.stringify(params)}${sampleWeight ? ', weighted' : ''}`, async () => {
        const fitted = await create(kind, { ...params, [EPOCHS[kind]]: 1 }).fit(X, y, {
          seed: 7,
          sampleWeight,
        });
        const reports: FitProgress[] = [];
        // The schedule's length (here 20 epochs) does not change epoch 0.
        const partial = create(kind, { ...params, [EPOCHS[kind]]: 20 });
        await expect(
          partial.partialFit!(X, y, {
            classes: CLASSES,
            seed: 7,
            sampleWeight,
            onProgress: (p) => reports.push(p),
          }),
        ).resolves.toBe(partial);
        expectSameModel(partial, fitted);
        expect(Array.from(partial.classes)).toEqual(CLASSES);
        expect(partial.predict(X)).toEqual(fitted.predict(X));
        // The same epoch's figures, reported as one epoch of one.
        if (kind === 'softmax') {
          const info = (partial as SoftmaxRegression).info;
          expect(info.lossHistory).toEqual((fitted as SoftmaxRegression).info.lossHistory);
          expect(info.stopReason).toBe('partial-fit');
        } else {
          const [record] = (partial as MLPClassifier).info.history;
          const [expected] = (fitted as MLPClassifier).info.history;
          expect([record.loss, record.trainAccuracy, record.learningRate]).toEqual([
            expected.loss,
            expected.trainAccuracy,
            expected.learningRate,
          ]);
        }
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatchObject({ stage: 'epoch', step: 1, total: 1 });
        expect(reports[0].loss).toBeGreaterThan(0);
      });
    }
  }

  it('mlp on 2 threads (its wide layers split between them) as fit on 1', async () => {
    const mnist = loadMnist();
    const Xm = toFloat01(flattenImages(mnist.train.images).slice(0, 256));
    const ym = mnist.train.labels.subarray(0, 256);
    const params = { hiddenLayers: [128, 128], batchSize: 64, epochs: 1 };
    const classes = Array.from({ length: 10 }, (_, k) => k);
    const fitted = await new MLPClassifier(params).fit(Xm, ym, { seed: 3, threads: 1 });
    const two = await new MLPClassifier(params).partialFit(Xm, ym, {
      classes,
      seed: 3,
      threads: 2,
    });
    expectSameModel(two, fitted);
    // A second call, on 2 threads, as on 1: after a call on 2 threads, and after one on 1
    // (whose buffers then move to shared memory).
    const one = await new MLPClassifier(params).partialFit(Xm, ym, { classes, seed: 3 });
    const more = rowsOf(Xm, ym, 0, 100);
    await fitted.partialFit(more.X, more.y, { seed: 4, threads: 1 });
    await two.partialFit(more.X, more.y, { seed: 4, threads: 2 });
    await one.partialFit(more.X, more.y, { seed: 4, threads: 2 });
    expectSameModel(two, fitted);
    expectSameModel(one, fitted);
  });
});

describe('partialFit continues the optimiser from call to call', () => {
  // Two rows in one batch: their order cannot change a sum, so k calls are fit's k epochs
  // exactly when the moments, the step count and the schedule carry over.
  const X = new Tensor(new Float32Array([0.9, 0.1, 0, 0.3, 0.2, 0.8, 0.5, 0]), [2, 4]);
  const y = new Int32Array([4, 1]);
  const cases = [
    ['softmax', { solver: 'adam', lrSchedule: 'cosine', learningRate: 0.1 }],
    ['softmax', { solver: 'sgd', lrSchedule: 'exponential', lrDecay: 0.5, learningRate: 0.5 }],
    ['mlp', { solver: 'adam', hiddenLayers: [5], dropout: 0, lrSchedule: 'exponential' }],
    ['mlp', { solver: 'sgd', hiddenLayers: [5], dropout: 0, learningRate: 0.1 }],
  ] as const;
  for (const [kind, params] of cases) {
    it(`3 calls are fit's 3 epochs: ${kind} ${JSON.stringify(params)}`, async () => {
      const settings = { ...params, [EPOCHS[kind]]: 3 };
      const fitted = await create(kind, settings).fit(X, y, { seed: 1 });
      const partial = create(kind, settings);
      for (const seed of [1, 2, 3]) await partial.partialFit!(X, y, { classes: [1, 4], seed });
      expectSameModel(partial, fitted);
      // One call more: the schedule holds its last epoch's rate.
      if (kind === 'mlp') {
        await partial.partialFit!(X, y);
        const { history } = (partial as MLPClassifier).info;
        expect(history.map((record) => record.epoch)).toEqual([1, 2, 3, 4]);
        expect(history[3].learningRate).toBe(history[2].learningRate);
        expect((partial as MLPClassifier).info.stopReason).toBe('partial-fit');
      } else {
        // (Cosine's rate at epoch 3 of 3 would be 0, and Adam would not move.)
        const third = modelFromState(kind, partial.toState());
        await partial.partialFit!(X, y);
        expect(firstDifference(partial, third)).not.toBeNull();
        const info = (partial as SoftmaxRegression).info;
        expect(info.lossHistory.slice(0, 3)).toEqual(
          (fitted as SoftmaxRegression).info.lossHistory,
        );
        expect(info.iterations).toBe(4);
      }
    });
  }

  for (const kind of ['softmax', 'mlp'] as const) {
    it(`${kind}: a model fitted by fit continues its optimiser; buffers of any size carry nothing over`, async () => {
      const { X: all, y: labels } = blobs(30);
      const params = kind === 'softmax' ? { ...SOFTMAX, solver: 'adam' } : MLP;
      // Calls of fewer rows than the first (stale buffers), more (buffers grow) and mostly
      // zeros ('auto' switches to the sparse products).
      const calls = [
        rowsOf(all, labels, 0, 10),
        rowsOf(withZeros(all, 0.8, 2), labels, 0, 90),
        rowsOf(all, labels, 40, 47),
      ];
      const fitted = await create(kind, { ...params, [EPOCHS[kind]]: 1 }).fit(all, labels, {
        seed: 5,
      });
      const partial = create(kind, { ...params, [EPOCHS[kind]]: 1 });
      await partial.partialFit!(all, labels, { classes: CLASSES, seed: 5 });
      for (const [i, call] of calls.entries()) {
        await fitted.partialFit!(call.X, call.y, { seed: 10 + i });
        await partial.partialFit!(call.X, call.y, { seed: 10 + i });
        expectSameModel(partial, fitted);
      }
    });

    it(`${kind}: a model restored from a file starts a fresh optimiser from its weights`, async () => {
      const { X: all, y: labels } = blobs(20);
      const params = kind === 'softmax' ? { ...SOFTMAX, solver: 'adam' } : MLP;
      const seed = 9;
      const template = (await create(kind, params).fit(all, labels, { seed })).toState();
      // The weights a new model starts from (softmax: 0; MLP: fit's initialisation), restored.
      const start = initialState(kind, template, seed);
      const restored = modelFromState(kind, start);
      await restored.partialFit!(all, labels, { seed });
      const fresh = await create(kind, params).partialFit!(all, labels, { classes: CLASSES, seed });
      expectSameModel(restored, fresh);

      // A fitted model continues its own optimiser, which its restored copy does not have.
      const fitted = await create(kind, params).fit(all, labels, { seed });
      const copy = modelFromState(kind, fitted.toState());
      expectSameModel(copy, fitted);
      await fitted.partialFit!(all, labels, { seed: 1 });
      await copy.partialFit!(all, labels, { seed: 1 });
      expect(firstDifference(copy, fitted)).not.toBeNull();
    });

    it(`${kind}: a failed or aborted call leaves the model and its optimiser as they were`, async () => {
      const { X: all, y: labels } = blobs(20);
      const params = kind === 'softmax' ? { ...SOFTMAX, solver: 'adam' } : MLP;
      const model = create(kind, params);
      const twin = create(kind, params);
      for (const m of [model, twin]) await m.partialFit!(all, labels, { classes: CLASSES });
      const before = modelFromState(kind, model.toState());
      const controller = new AbortController();
      // Aborted once the epoch is done: the optimiser has moved, the model must not have.
      await expect(
        model.partialFit!(all, labels, {
          seed: 3,
          signal: controller.signal,
          onProgress: () => controller.abort(new Error('stop')),
        }),
      ).rejects.toThrow('stop');
      await expect(model.partialFit!(all, labels, { sampleWeight: [1] })).rejects.toThrow(
        ShapeError,
      );
      expectSameModel(model, before);
      for (const m of [model, twin]) await m.partialFit!(all, labels, { seed: 4 });
      expectSameModel(model, twin);
    });
  }
});

/** A model of `kind` from `state`. */
function modelFromState(kind: 'softmax' | 'mlp', state: ModelState): Classifier {
  return kind === 'softmax' ? SoftmaxRegression.fromState(state) : MLPClassifier.fromState(state);
}

/**
 * `template` with the weights a new model starts from: all 0 for softmax regression; for the
 * MLP, He (ReLU) or Glorot (tanh, output) weights drawn from fork 0 of the seed, layer by
 * layer, and zero biases, as `fit` initialises them.
 */
function initialState(kind: 'softmax' | 'mlp', template: ModelState, seed: number): ModelState {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(template.tensors)) {
    tensors[name] = new Tensor(new Float32Array(t.size), [...t.shape]);
  }
  if (kind === 'mlp') {
    const { hiddenLayers, activation } = template.params as {
      hiddenLayers: number[];
      activation: 'relu';
    };
    const layout = new MlpLayout([template.nFeatures, ...hiddenLayers, template.classes.length]);
    const rng = new Rng(seed).fork(0);
    for (let l = 0; l < layout.layers; l++) {
      const scheme = l === layout.layers - 1 ? 'output' : activation;
      const weights = tensors[`layers.${l}.weight`].data as Float32Array;
      initializeWeights(weights, layout.sizes[l], layout.sizes[l + 1], scheme, rng);
    }
  }
  return { ...template, info: {}, tensors };
}

describe('partialFit classes, labels and options', () => {
  const { X, y } = blobs(10);

  for (const kind of ['softmax', 'mlp'] as const) {
    const params = kind === 'softmax' ? { ...SOFTMAX, solver: 'sgd' } : MLP;

    it(`${kind}: the first call needs the classes; later batches may hold any of them`, async () => {
      const model = create(kind, params);
      await expect(model.partialFit!(X, y)).rejects.toThrow(
        /partialFit: the first call needs options\.classes/,
      );
      await expect(model.partialFit!(X, y, { classes: [2, 5] })).rejects.toThrow(
        /y holds the label \[9\], not among the classes \[2, 5\] given in options\.classes/,
      );
      await expect(model.partialFit!(X, y, { classes: [5, 5] })).rejects.toThrow(
        /needs at least 2 classes in options\.classes, got \[5\]/,
      );
      expect(model.isFitted).toBe(false);
      // Unsorted, repeated: the classes are sorted and distinct, as fit's.
      const fives = y.map(() => 5);
      await model.partialFit!(X, fives, { classes: [9, 2, 5, 2] });
      expect(Array.from(model.classes)).toEqual(CLASSES);
      await model.partialFit!(X, y);
      await expect(
        model.partialFit!(
          X,
          y.map((label) => (label === 9 ? 7 : label)),
        ),
      ).rejects.toThrow(/y holds the label \[7\], not among the classes \[2, 5, 9\] of the model/);
      await expect(model.partialFit!(X, y, { classes: [2, 5, 9, 11] })).rejects.toThrow(
        /options\.classes \[2, 5, 9, 11\] are not the model's classes \[2, 5, 9\]/,
      );
      await model.partialFit!(X, y, { classes: [9, 5, 2] });
      await expect(model.partialFit!(X.slice(0, 3), y.subarray(0, 4))).rejects.toThrow(ShapeError);
      const narrow = new Tensor(new Float32Array(10), [2, 5]);
      await expect(model.partialFit!(narrow, [2, 5])).rejects.toThrow(
        /X has 5 features per sample, but the model was fitted on 6/,
      );
      await expect(
        model.partialFit!(X, y, { epochs: 3 } as unknown as PartialFitOptions),
      ).rejects.toThrow(/partialFit: unknown option 'epochs'; expected one of .*classes/);
    });

    it(`${kind}: labels of any type, and a model fitted by fit keeps its classes`, async () => {
      const names = ['setosa', 'versicolor', 'virginica'];
      const labels = Array.from(y, (label) => names[CLASSES.indexOf(label)]);
      const model = create(kind, params);
      await model.partialFit!(X.slice(0, 10), labels.slice(0, 10), {
        classes: [...names].reverse(),
      });
      await model.partialFit!(X.slice(10), labels.slice(10));
      expect(model.classes).toEqual(names);
      // The model of the same labels as integers (sorted the same way), predicting by name.
      const twin = create(kind, params);
      await twin.partialFit!(X.slice(0, 10), y.subarray(0, 10), { classes: CLASSES });
      await twin.partialFit!(X.slice(10), y.subarray(10));
      expectSameModel(model, twin);
      const named = Array.from(twin.predict(X), (label) => names[CLASSES.indexOf(label as number)]);
      expect(model.predict(X)).toEqual(named);
      await expect(
        model.partialFit!(
          X,
          labels.map((l) => (l === 'setosa' ? 'rose' : l)),
        ),
      ).rejects.toThrow(/y holds the label \["rose"\], not among the classes/);
      const fitted = await create(kind, params).fit(X, y);
      await fitted.partialFit!(X.slice(0, 5), y.subarray(0, 5));
      expect(Array.from(fitted.classes)).toEqual(CLASSES);
      // A round trip through a file keeps what partialFit learned.
      const restored = modelFromState(kind, fitted.toState());
      expect(restored.predict(X)).toEqual(fitted.predict(X));
    });
  }

  it("refuses softmax regression's L-BFGS, and 'balanced' class weights, clearly", async () => {
    await expect(new SoftmaxRegression().partialFit(X, y, { classes: CLASSES })).rejects.toThrow(
      /partialFit needs a mini-batch solver, 'adam' or 'sgd'; this model's solver is 'lbfgs'/,
    );
    for (const model of [
      new SoftmaxRegression({ solver: 'adam', classWeight: 'balanced' }),
      new MLPClassifier({ ...MLP, classWeight: 'balanced' }),
    ]) {
      await expect(model.partialFit(X, y, { classes: CLASSES })).rejects.toThrow(ValueError);
      await expect(model.partialFit(X, y, { classes: CLASSES })).rejects.toThrow(
        /cannot use classWeight 'balanced'/,
      );
    }
  });

  it('is a member of the models that learn by mini-batches only', () => {
    const models: Classifier[] = [new SVC(), new RandomForestClassifier()];
    for (const model of models) expect(model.partialFit).toBeUndefined();
    expect(new SoftmaxRegression().partialFit).toBeTypeOf('function');
    expect(new MLPClassifier().partialFit).toBeTypeOf('function');
  });
});

describe('partialFit over the batches of a shuffled data set learns as fit does', () => {
  const mnist = loadMnist();
  const order = new Rng(0).permutation(3000);
  const X = takeRows(toFloat01(flattenImages(mnist.train.images).slice(0, 3000)), order);
  const y = takeLabels(mnist.train.labels.subarray(0, 3000), order);
  const Xtest = toFloat01(flattenImages(mnist.test.images).slice(0, 1000));
  const ytest = mnist.test.labels.subarray(0, 1000);
  const classes = Array.from({ length: 10 }, (_, k) => k);

  /** `passes` passes over 6 batches of 500 rows, each call with its own seed. */
  async function trainInBatches(model: Classifier, passes: number) {
    for (let pass = 0; pass < passes; pass++) {
      for (let start = 0; start < 3000; start += 500) {
        const batch = rowsOf(X, y, start, start + 500);
        await model.partialFit!(batch.X, batch.y, { classes, seed: pass * 6 + start / 500 });
      }
    }
    return model;
  }

  it('softmax regression (adam): 5 passes of 6 batches against 5 epochs of fit', async () => {
    const params = { solver: 'adam', learningRate: 0.01, batchSize: 64 } as const;
    const fitted = await new SoftmaxRegression({ ...params, maxIter: 5 }).fit(X, y);
    // Each call's L2 term is that of its 500 rows: C * 6 regularises as C on all 3000.
    const partial = await trainInBatches(new SoftmaxRegression({ ...params, C: 6 }), 5);
    const [a, b] = [fitted.score(Xtest, ytest), partial.score(Xtest, ytest)];
    expect(a).toBeGreaterThan(0.83);
    expect(Math.abs(a - b)).toBeLessThan(0.03);
  });

  it('MLP: 4 passes of 6 batches against 4 epochs of fit', async () => {
    const params = { hiddenLayers: [64], batchSize: 32 };
    const fitted = await new MLPClassifier({ ...params, epochs: 4 }).fit(X, y);
    // The cosine schedule spans the 24 calls as it spans fit's 4 epochs.
    const partial = await trainInBatches(new MLPClassifier({ ...params, epochs: 24 }), 4);
    const [a, b] = [fitted.score(Xtest, ytest), partial.score(Xtest, ytest)];
    expect(a).toBeGreaterThan(0.85);
    expect(Math.abs(a - b)).toBeLessThan(0.03);
  });
});
