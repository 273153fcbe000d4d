// Sample weights and class weights, model by model, against what they mean: a sample of
// integer weight w counts as w copies of it, one of weight 0 as absent (exactly, for the
// models fitted to an optimum; in expectation for the ones trained on random batches or
// bootstrap samples), and 'balanced' class weights are sample weights W / (k W_k).
import { describe, expect, it } from 'vitest';
import { Rng, Tensor, ValueError, softmaxCrossEntropy } from '@typedlearn/tensor';
import {
  DecisionTreeClassifier,
  MLPClassifier,
  RandomForestClassifier,
  SVC,
  SoftmaxRegression,
  classWeights,
  resolveFitWeights,
  type Classifier,
} from '../src/index.js';

/** `rows` points around one random centre per class (classes taken in turn), seeded. */
function gaussianClasses(rows: number, features: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes * features }, () => rng.normal(0, 1.5));
  const data = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    y[i] = i % classes;
    for (let j = 0; j < features; j++) {
      data[i * features + j] = centres[y[i] * features + j] + rng.normal();
    }
  }
  return { X: new Tensor(data, [rows, features]), y };
}

/** Weights 0, 1, 2 or 3 drawn per row, seeded. */
function integerWeights(rows: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: rows }, () => rng.int(4));
}

/**
 * The rows of (X, y) each repeated `weights[i]` times (0: dropped), in order, with `source`,
 * the row each new row repeats.
 */
function repeatRows(X: Tensor, y: Int32Array, weights: ArrayLike<number>) {
  const [rows, features] = X.shape;
  const source: number[] = [];
  for (let i = 0; i < rows; i++) for (let c = 0; c < weights[i]; c++) source.push(i);
  const data = new Float32Array(source.length * features);
  source.forEach((i, r) =>
    data.set(X.data.subarray(i * features, (i + 1) * features), r * features),
  );
  return {
    X: new Tensor(data, [source.length, features]),
    y: Int32Array.from(source, (i) => y[i]),
    source: Int32Array.from(source),
  };
}

function tensorsOf(model: Classifier): Record<string, unknown> {
  const { tensors } = model.toState();
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.toArray()]));
}

/** Largest |a_i - b_i| over the largest |a_i|. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    difference = Math.max(difference, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return difference / scale;
}

/** A grid of points over [-4, 4]^features' first two features, others 0. */
function probeGrid(features: number): Tensor {
  const steps = 9;
  const data = new Float32Array(steps * steps * features);
  for (let a = 0; a < steps; a++) {
    for (let b = 0; b < steps; b++) {
      data[(a * steps + b) * features] = -4 + a;
      data[(a * steps + b) * features + 1] = -4 + b;
    }
  }
  return new Tensor(data, [steps * steps, features]);
}

/**
 * Two clusters: around (0, 0), 10 rows of class 0 and 30 of class 1 that weigh 0; around
 * (3, 3), 20 rows of class 1. The rows of weight 0 would make class 1 the majority of the
 * first cluster; ignored, they leave it to class 0.
 */
function outvotedByAbsentRows() {
  const rng = new Rng(11);
  const rows = 60;
  const data = new Float32Array(rows * 2);
  const y = new Int32Array(rows);
  const sampleWeight = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const centre = i < 40 ? 0 : 3;
    data[2 * i] = centre + rng.uniform() - 0.5;
    data[2 * i + 1] = centre + rng.uniform() - 0.5;
    y[i] = i < 10 ? 0 : 1;
    sampleWeight[i] = i >= 10 && i < 40 ? 0 : 1;
  }
  const probe = new Tensor(Float32Array.of(0, 0, 3, 3), [2, 2]);
  return { X: new Tensor(data, [rows, 2]), y, sampleWeight, probe };
}

/**
 * One feature: 90 rows of class 0 spread evenly over [-2, 2] and 10 of class 1 over
 * [0.5, 2.5]. Where they overlap class 0 is 4.5 times as dense; 'balanced' weighs class 1
 * 9 times as much as class 0 (5 against 0.556), which turns the overlap to class 1.
 * `probe`: -1.5 (class 0 alone) and 1.2 (the overlap); `grid`: 61 points over [-3, 3].
 */
function imbalanced() {
  const values: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < 100; i++) {
    values.push(i < 90 ? -2 + (4 * i) / 89 : 0.5 + (2 * (i - 90)) / 9);
    y.push(i < 90 ? 0 : 1);
  }
  const probe = new Tensor(Float32Array.of(-1.5, 1.2), [2, 1]);
  const grid = new Tensor(
    Float32Array.from({ length: 61 }, (_, i) => -3 + i / 10),
    [61, 1],
  );
  return {
    X: new Tensor(Float32Array.from(values), [100, 1]),
    y: Int32Array.from(y),
    probe,
    grid,
  };
}

/** How many rows of `X` the model predicts as class 1. */
function countOnes(model: Classifier, X: Tensor): number {
  return Array.from(model.predict(X)).filter((label) => label === 1).length;
}

describe('classWeights and resolveFitWeights', () => {
  it("'balanced' is n / (k count_k), or with sample weights W / (k W_k)", () => {
    // scikit-learn's example: y = [1, 1, 1, 1, 0, 0] gives [1.5, 0.75].
    const y = Int32Array.of(1, 1, 1, 1, 0, 0);
    expect(Array.from(classWeights('balanced', y, 2, null))).toEqual([1.5, 0.75]);
    expect(Array.from(classWeights(null, y, 2, null))).toEqual([1, 1]);
    // Weighted counts: class 0 weighs 2 + 2 = 4, class 1 weighs 4 * 0.5 = 2; W = 6.
    const w = Float64Array.of(0.5, 0.5, 0.5, 0.5, 2, 2);
    expect(Array.from(classWeights('balanced', y, 2, w))).toEqual([6 / 8, 6 / 4]);
    // A class whose samples all weigh 0 gets 0, not Infinity.
    const absent = Float64Array.of(1, 1, 1, 1, 0, 0);
    expect(Array.from(classWeights('balanced', y, 2, absent))).toEqual([0, 0.5]);
  });

  it('multiplies class weights into sample weights, and drops weights that are all 1', () => {
    const y = Int32Array.of(1, 1, 1, 1, 0, 0);
    const ones = new Float64Array(6).fill(1);
    expect(resolveFitWeights(null, y, 2, ones)).toEqual({
      sample: null,
      perClass: Float64Array.of(1, 1),
      combined: null,
    });
    const w = Float64Array.of(1, 2, 1, 2, 3, 3);
    const { sample, combined } = resolveFitWeights('balanced', y, 2, w);
    expect(sample).toBe(w);
    // W = 12, W_0 = W_1 = 6: both classes weigh 1.
    expect(Array.from(combined ?? [])).toEqual(Array.from(w));
    const balanced = resolveFitWeights('balanced', y, 2, null).combined ?? [];
    expect(Array.from(balanced)).toEqual([0.75, 0.75, 0.75, 0.75, 1.5, 1.5]);
  });
});

describe('SoftmaxRegression with sample weights', () => {
  const exact = { C: 0.5, tol: 1e-10, maxIter: 1000, inputFormat: 'sparse' } as const;

  it("'lbfgs': integer weights give the model of the rows repeated that many times", async () => {
    const { X, y } = gaussianClasses(60, 4, 3, 1);
    const sampleWeight = integerWeights(60, 2);
    const repeated = repeatRows(X, y, sampleWeight);
    const weighted = await new SoftmaxRegression(exact).fit(X, y, { sampleWeight });
    const plain = await new SoftmaxRegression(exact).fit(repeated.X, repeated.y);
    expect(relativeDifference(weighted.coef.data, plain.coef.data)).toBeLessThan(1e-6);
    expect(relativeDifference(weighted.intercept.data, plain.intercept.data)).toBeLessThan(1e-6);
    const probe = probeGrid(4);
    expect(Array.from(weighted.predict(probe))).toEqual(Array.from(plain.predict(probe)));
  });

  it("'lbfgs': a row of weight 0 is exactly a row dropped", async () => {
    const { X, y } = gaussianClasses(60, 4, 3, 3);
    const sampleWeight = Float64Array.from({ length: 60 }, (_, i) => (i % 5 === 2 ? 0 : 1));
    const kept = repeatRows(X, y, sampleWeight);
    const weighted = await new SoftmaxRegression(exact).fit(X, y, { sampleWeight });
    const dropped = await new SoftmaxRegression(exact).fit(kept.X, kept.y);
    expect(tensorsOf(weighted)).toEqual(tensorsOf(dropped));
    expect(weighted.info.iterations).toBe(dropped.info.iterations);
  });

  it("classWeight 'balanced' is sampleWeight n / (k count_k), and favours the rare class", async () => {
    const { X, y, probe, grid } = imbalanced();
    const plain = await new SoftmaxRegression({ C: 10 }).fit(X, y);
    const balanced = await new SoftmaxRegression({ C: 10, classWeight: 'balanced' }).fit(X, y);
    const explicit = await new SoftmaxRegression({ C: 10 }).fit(X, y, {
      sampleWeight: Array.from(y, (k) => (k === 0 ? 100 / (2 * 90) : 100 / (2 * 10))),
    });
    expect(tensorsOf(balanced)).toEqual(tensorsOf(explicit));
    expect(Array.from(plain.predict(probe))).toEqual([0, 0]);
    expect(Array.from(balanced.predict(probe))).toEqual([0, 1]);
    expect(countOnes(balanced, grid)).toBeGreaterThan(countOnes(plain, grid));
  });

  it("'adam' and 'sgd': rows of weight 0 do not count", async () => {
    const { X, y, sampleWeight, probe } = outvotedByAbsentRows();
    for (const solver of ['adam', 'sgd'] as const) {
      const options = { solver, learningRate: 0.05, maxIter: 60, batchSize: 8, C: 100 };
      const plain = await new SoftmaxRegression(options).fit(X, y);
      const weighted = await new SoftmaxRegression(options).fit(X, y, { sampleWeight });
      expect(Array.from(plain.predict(probe))).toEqual([1, 1]);
      expect(Array.from(weighted.predict(probe))).toEqual([0, 1]);
    }
  });
});

describe('SVC with sample weights (LIBSVM weighted C)', () => {
  const exact = { C: 1, gamma: 0.5, tol: 1e-8 };

  it('integer weights give the machines of the rows repeated that many times', async () => {
    const { X, y } = gaussianClasses(60, 2, 3, 4);
    const sampleWeight = integerWeights(60, 5);
    const repeated = repeatRows(X, y, sampleWeight);
    const weighted = await new SVC(exact).fit(X, y, { sampleWeight });
    const plain = await new SVC(exact).fit(repeated.X, repeated.y);
    const probe = probeGrid(2);
    const a = weighted.decisionFunction(probe).data;
    const b = plain.decisionFunction(probe).data;
    expect(relativeDifference(a, b)).toBeLessThan(1e-4);
    expect(Array.from(weighted.predict(probe))).toEqual(Array.from(plain.predict(probe)));
    // Bounds C_i = w_i C are reached: some alpha above C, as only a weight allows.
    expect(Math.max(...weighted.dualCoef.data.map(Math.abs))).toBeGreaterThan(1.5 * exact.C);
  });

  it('removes rows of weight 0 before training, as LIBSVM does', async () => {
    const { X, y } = gaussianClasses(60, 2, 3, 6);
    const sampleWeight = Float64Array.from({ length: 60 }, (_, i) => (i % 4 === 1 ? 0 : 1));
    const kept = repeatRows(X, y, sampleWeight);
    const options = { ...exact, probability: true };
    const weighted = await new SVC(options).fit(X, y, { sampleWeight });
    const dropped = await new SVC(options).fit(kept.X, kept.y);
    const { support, ...rest } = tensorsOf(weighted);
    const { support: droppedSupport, ...droppedRest } = tensorsOf(dropped);
    expect(rest).toEqual(droppedRest);
    // `support` counts rows of the X given to fit.
    expect(support).toEqual((droppedSupport as number[]).map((r) => kept.source[r]));

    // gamma 'scale' takes the weighted variance, so it too sees the rows as dropped.
    const scaled = { C: 1, tol: 1e-8 };
    const a = await new SVC(scaled).fit(X, y, { sampleWeight });
    const b = await new SVC(scaled).fit(kept.X, kept.y);
    expect(a.info.kernelGamma).toBeCloseTo(b.info.kernelGamma as number, 12);
    const probe = probeGrid(2);
    const difference = relativeDifference(
      a.decisionFunction(probe).data,
      b.decisionFunction(probe).data,
    );
    expect(difference).toBeLessThan(1e-4);
  });

  it("classWeight 'balanced' is C times the class weight, and favours the rare class", async () => {
    const { X, y, probe, grid } = imbalanced();
    const options = { C: 1, gamma: 1 };
    const plain = await new SVC(options).fit(X, y);
    const balanced = await new SVC({ ...options, classWeight: 'balanced' }).fit(X, y);
    const explicit = await new SVC(options).fit(X, y, {
      sampleWeight: Array.from(y, (k) => (k === 0 ? 100 / (2 * 90) : 100 / (2 * 10))),
    });
    expect(tensorsOf(balanced)).toEqual(tensorsOf(explicit));
    expect(Array.from(plain.predict(probe))).toEqual([0, 0]);
    expect(Array.from(balanced.predict(probe))).toEqual([0, 1]);
    expect(countOnes(balanced, grid)).toBeGreaterThan(countOnes(plain, grid));
  });

  it('refuses a class whose samples all weigh 0', async () => {
    const { X, y } = gaussianClasses(30, 2, 3, 7);
    const sampleWeight = Array.from(y, (k) => (k === 1 ? 0 : 1));
    await expect(new SVC().fit(X, y, { sampleWeight })).rejects.toThrow(ValueError);
    await expect(new SVC().fit(X, y, { sampleWeight })).rejects.toThrow(/class 1 .*sampleWeight 0/);
  });
});

describe('trees and forests with sample weights', () => {
  it('a tree with integer weights is the tree of the rows repeated, node for node', async () => {
    const { X, y } = gaussianClasses(60, 3, 3, 8);
    const sampleWeight = integerWeights(60, 9);
    const repeated = repeatRows(X, y, sampleWeight);
    const weighted = await new DecisionTreeClassifier().fit(X, y, { sampleWeight });
    const plain = await new DecisionTreeClassifier().fit(repeated.X, repeated.y);
    expect(weighted.nodeCount).toBeGreaterThan(5);
    expect(tensorsOf(weighted)).toEqual(tensorsOf(plain));
  });

  it('a tree leaves out rows of weight 0 (its thresholds too)', async () => {
    const { X, y } = gaussianClasses(60, 3, 3, 10);
    const sampleWeight = Float64Array.from({ length: 60 }, (_, i) => (i % 4 === 3 ? 0 : 1));
    const kept = repeatRows(X, y, sampleWeight);
    const weighted = await new DecisionTreeClassifier().fit(X, y, { sampleWeight });
    const dropped = await new DecisionTreeClassifier().fit(kept.X, kept.y);
    expect(tensorsOf(weighted)).toEqual(tensorsOf(dropped));
  });

  it('a forest without bootstrap weighs like repeated rows, tree for tree', async () => {
    const { X, y } = gaussianClasses(60, 4, 3, 12);
    const sampleWeight = integerWeights(60, 13);
    const repeated = repeatRows(X, y, sampleWeight);
    const options = { nEstimators: 5, bootstrap: false, maxFeatures: 2 };
    const weighted = await new RandomForestClassifier(options).fit(X, y, { sampleWeight });
    const plain = await new RandomForestClassifier(options).fit(repeated.X, repeated.y);
    expect(tensorsOf(weighted)).toEqual(tensorsOf(plain));
  });

  it('a forest ignores rows of weight 0, in its trees and its out-of-bag score', async () => {
    const { X, y, sampleWeight, probe } = outvotedByAbsentRows();
    const options = { nEstimators: 25, oobScore: true };
    const plain = await new RandomForestClassifier(options).fit(X, y);
    const weighted = await new RandomForestClassifier(options).fit(X, y, { sampleWeight });
    expect(Array.from(plain.predict(probe))).toEqual([1, 1]);
    expect(Array.from(weighted.predict(probe))).toEqual([0, 1]);
    expect(weighted.predictProba(probe).get(0, 1)).toBe(0);
    // Scored without the 30 rows of weight 0, which the trees predict as class 0.
    expect(weighted.outOfBagScore).toBe(1);
    expect(plain.outOfBagScore).toBeLessThan(1);
  });

  it('a forest with integer weights does about as well as on the rows repeated', async () => {
    const { X, y } = gaussianClasses(600, 4, 3, 14);
    const sampleWeight = integerWeights(400, 15);
    const trainX = new Tensor(X.data.slice(0, 400 * 4), [400, 4]);
    const trainY = y.slice(0, 400);
    const testX = new Tensor(X.data.slice(400 * 4), [200, 4]);
    const testY = y.slice(400);
    const repeated = repeatRows(trainX, trainY, sampleWeight);
    const options = { nEstimators: 30 };
    const weighted = await new RandomForestClassifier(options).fit(trainX, trainY, {
      sampleWeight,
    });
    const plain = await new RandomForestClassifier(options).fit(repeated.X, repeated.y);
    const [a, b] = [weighted.score(testX, testY), plain.score(testX, testY)];
    expect(a).toBeGreaterThan(0.8);
    expect(Math.abs(a - b)).toBeLessThan(0.05);
  });
});

describe('MLPClassifier with sample weights', () => {
  const small = { hiddenLayers: [16], epochs: 40, batchSize: 8, learningRate: 0.01, dropout: 0 };

  it('the weighted loss of a batch: sum_i w_i CE_i, gradient rows w_i (p - y) / sum w', () => {
    const logits = Float64Array.of(1, 2, 0, -1, 0.5, 3);
    const labels = Int32Array.of(1, 0);
    const weights = Float64Array.of(1, 3);
    const gradient = new Float64Array(6);
    const loss = softmaxCrossEntropy(logits, labels, 2, 3, 1 / 4, gradient, weights);
    const rowLoss = (z: number[], k: number) =>
      Math.log(z.reduce((t, v) => t + Math.exp(v), 0)) - z[k];
    expect(loss).toBeCloseTo(rowLoss([1, 2, 0], 1) + 3 * rowLoss([-1, 0.5, 3], 0), 12);
    const softmax = (z: number[]) =>
      z.map((v) => Math.exp(v) / z.reduce((t, u) => t + Math.exp(u), 0));
    const [p0, p1] = [softmax([1, 2, 0]), softmax([-1, 0.5, 3])];
    // Scale 1 / (1 + 3): row 0 weighs 1/4, row 1 weighs 3/4.
    const expected = [p0[0], p0[1] - 1, p0[2], 3 * (p1[0] - 1), 3 * p1[1], 3 * p1[2]].map(
      (v) => v / 4,
    );
    expected.forEach((v, i) => expect(gradient[i]).toBeCloseTo(v, 12));
  });

  it('weights all 2 give the model of no weights, bit for bit (batches are weighted means)', async () => {
    const { X, y } = gaussianClasses(50, 3, 3, 16);
    const plain = await new MLPClassifier({ ...small, epochs: 5 }).fit(X, y);
    const doubled = await new MLPClassifier({ ...small, epochs: 5 }).fit(X, y, {
      sampleWeight: new Float64Array(50).fill(2),
    });
    expect(tensorsOf(doubled)).toEqual(tensorsOf(plain));
  });

  it('rows of weight 0 do not count', async () => {
    const { X, y, sampleWeight, probe } = outvotedByAbsentRows();
    const plain = await new MLPClassifier(small).fit(X, y);
    const weighted = await new MLPClassifier(small).fit(X, y, { sampleWeight });
    expect(Array.from(plain.predict(probe))).toEqual([1, 1]);
    expect(Array.from(weighted.predict(probe))).toEqual([0, 1]);
  });

  it("classWeight 'balanced' favours the rare class", async () => {
    const { X, y, probe, grid } = imbalanced();
    const options = { ...small, hiddenLayers: [8], epochs: 60 };
    const plain = await new MLPClassifier(options).fit(X, y);
    const balanced = await new MLPClassifier({ ...options, classWeight: 'balanced' }).fit(X, y);
    expect(Array.from(plain.predict(probe))).toEqual([0, 0]);
    expect(Array.from(balanced.predict(probe))).toEqual([0, 1]);
    expect(countOnes(balanced, grid)).toBeGreaterThan(countOnes(plain, grid));
  });
});
