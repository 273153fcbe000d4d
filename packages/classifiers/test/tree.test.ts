import { describe, expect, it } from 'vitest';
import { Rng, Tensor, ValueError, allocate } from '@typedlearn/tensor';
import { DecisionTreeClassifier, type Classifier } from '../src/index.js';
import { binFeatures, quantileEdges } from '../src/forest/feature-binning.js';
import { LOCAL_SAMPLES } from '../src/forest/histogram-splitter.js';
import { nodeImpurity } from '../src/forest/impurity.js';

/** The fitted node arrays of a model, as plain arrays. */
function nodesOf(model: Classifier) {
  const t = model.toState().tensors;
  return {
    feature: Array.from(t.feature.data),
    threshold: Array.from(t.threshold.data),
    left: Array.from(t.left.data),
    right: Array.from(t.right.data),
    value: t.value.toArray() as number[][],
  };
}

function matrix(rows: number[][]): Tensor {
  return Tensor.from(rows.flat(), [rows.length, rows[0].length]);
}

/** Uniform random features in [0, 1) and a label from the first two of them. */
function noisyProblem(rows: number, cols: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform();
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const score = data[i * cols] + data[i * cols + 1] + 0.3 * (rng.uniform() - 0.5);
    y[i] = score > 1.2 ? 2 : score > 0.8 ? 1 : 0;
  }
  return { X: new Tensor(data, [rows, cols]), y };
}

/** Depth of every node, from the child links. */
function depths(left: number[], right: number[]): number[] {
  const depth = new Array<number>(left.length).fill(0);
  for (let n = 0; n < left.length; n++) {
    if (left[n] >= 0) depth[left[n]] = depth[n] + 1;
    if (right[n] >= 0) depth[right[n]] = depth[n] + 1;
  }
  return depth;
}

describe('DecisionTreeClassifier', () => {
  it('finds a known split exactly, halfway between the closest values of the two sides', async () => {
    // Feature 1 separates the classes between 0.3 and 0.7; feature 0 is noise that cannot.
    const X = matrix([
      [0.5, 0.1],
      [0.1, 0.7],
      [0.9, 0.3],
      [0.4, 0.9],
      [0.2, 0.2],
      [0.8, 0.8],
    ]);
    const y = [0, 1, 0, 1, 0, 1];
    const tree = nodesOf(await new DecisionTreeClassifier().fit(X, y));
    expect(tree.feature).toEqual([1, -1, -1]);
    expect(tree.threshold[0]).toBe(Math.fround((Math.fround(0.3) + Math.fround(0.7)) / 2));
    expect(tree.value[tree.left[0]]).toEqual([1, 0]);
    expect(tree.value[tree.right[0]]).toEqual([0, 1]);
  });

  it('breaks a tie between equally good boundaries as scikit-learn does: the lowest wins', async () => {
    // Labels 0 1 1 0 along the feature: cutting after the first value or before the last gives
    // the same Gini decrease (a pure side of one sample, the other side 2:1), the middle cut a
    // smaller one. scikit-learn keeps the first best boundary of its ascending scan.
    const y = [0, 1, 1, 0];
    for (const values of [
      [0, 1, 2, 3], // the lowest value falls in bin 0, which the sweep never adds up
      [5, 6, 7, 8],
    ]) {
      const X = matrix(values.map((v) => [v]));
      const stump = nodesOf(await new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y));
      expect(stump.feature).toEqual([0, -1, -1]);
      expect(stump.threshold[0]).toBe(values[0] + 0.5);
      expect(stump.value[stump.left[0]]).toEqual([1, 0]);
      expect(stump.value[stump.right[0]]).toEqual([1 / 3, 2 / 3].map(Math.fround));
    }
  });

  it('stops at pure nodes even where other features could still split', async () => {
    const X = matrix([
      [0, 0.1],
      [0, 0.9],
      [0, 0.5],
      [1, 0.2],
      [1, 0.8],
    ]);
    const tree = nodesOf(await new DecisionTreeClassifier().fit(X, [3, 3, 3, 7, 7]));
    expect(tree.feature).toEqual([0, -1, -1]);

    const { X: noisyX, y } = noisyProblem(300, 4, 1);
    const grown = nodesOf(await new DecisionTreeClassifier().fit(noisyX, y));
    // Fully grown on distinct points: every leaf is pure, and no pure node was split.
    grown.feature.forEach((feature, n) => {
      const classesPresent = grown.value[n].filter((share) => share > 0).length;
      if (feature === -1) expect(classesPresent).toBe(1);
      else expect(classesPresent).toBeGreaterThan(1);
    });
  });

  it('takes at every node the best split over all features and thresholds, found by brute force', async () => {
    // More rows than LOCAL_SAMPLES, so the upper nodes scan the shared columns and the lower
    // ones a local copy; small integers with many zeros, so bins hold several samples of
    // several classes; and 40 classes, more than a 32-bit class mask has bits.
    for (const nClasses of [4, 40]) {
      const rows = 1500;
      const cols = 5;
      expect(rows).toBeGreaterThan(LOCAL_SAMPLES);
      const rng = new Rng(nClasses);
      const x = new Float32Array(rows * cols);
      for (let i = 0; i < x.length; i++) x[i] = rng.uniform() < 0.5 ? 0 : rng.int(9) + 1;
      const y = Array.from({ length: rows }, (_, i) => {
        const signal = x[i * cols] + 2 * x[i * cols + 1] + x[i * cols + 2];
        return (Math.floor(signal / 2) + (rng.uniform() < 0.2 ? rng.int(nClasses) : 0)) % nClasses;
      });
      const tree = nodesOf(await new DecisionTreeClassifier().fit(new Tensor(x, [rows, cols]), y));
      expect(tree.feature.length).toBeGreaterThan(100);

      const value = (i: number, f: number) => x[i * cols + f];
      // Sum over both children of (class count)^2 / (child size): the larger, the lower the
      // weighted Gini impurity of the split.
      const score = (left: number[], right: number[]) => {
        let total = 0;
        for (const side of [left, right]) {
          const counts = new Array<number>(nClasses).fill(0);
          for (const i of side) counts[y[i]]++;
          total += counts.reduce((sum, c) => sum + c * c, 0) / side.length;
        }
        return total;
      };
      const bestScore = (samples: number[]) => {
        let best = -Infinity;
        for (let f = 0; f < cols; f++) {
          const sorted = [...samples].sort((a, b) => value(a, f) - value(b, f));
          for (let cut = 1; cut < sorted.length; cut++) {
            if (value(sorted[cut - 1], f) === value(sorted[cut], f)) continue;
            best = Math.max(best, score(sorted.slice(0, cut), sorted.slice(cut)));
          }
        }
        return best;
      };
      const reach: number[][] = tree.feature.map(() => []);
      reach[0] = Array.from({ length: rows }, (_, i) => i);
      let checked = 0;
      for (let n = 0; n < tree.feature.length; n++) {
        const samples = reach[n];
        const f = tree.feature[n];
        if (f === -1) {
          // A leaf is pure or cannot be split: every feature is constant in it.
          const pure = samples.every((i) => y[i] === y[samples[0]]);
          const unsplittable = [...Array(cols).keys()].every((g) =>
            samples.every((i) => value(i, g) === value(samples[0], g)),
          );
          expect(pure || unsplittable).toBe(true);
          continue;
        }
        const left = samples.filter((i) => value(i, f) <= tree.threshold[n]);
        const right = samples.filter((i) => value(i, f) > tree.threshold[n]);
        reach[tree.left[n]] = left;
        reach[tree.right[n]] = right;
        expect(score(left, right)).toBeCloseTo(bestScore(samples), 9);
        checked++;
      }
      expect(checked).toBeGreaterThan(50);
    }
  });

  it('honours maxDepth and minSamplesLeaf', async () => {
    const { X, y } = noisyProblem(400, 5, 2);
    const shallow = nodesOf(await new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, y));
    expect(Math.max(...depths(shallow.left, shallow.right))).toBe(3);

    const model = await new DecisionTreeClassifier({ minSamplesLeaf: 7 }).fit(X, y);
    const tree = nodesOf(model);
    const perLeaf = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      let node = 0;
      while (tree.feature[node] >= 0) {
        const value = X.get(i, tree.feature[node]);
        node = value <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      }
      perLeaf.set(node, (perLeaf.get(node) ?? 0) + 1);
    }
    expect(perLeaf.size).toBe(tree.feature.filter((f) => f === -1).length);
    expect(Math.min(...perLeaf.values())).toBeGreaterThanOrEqual(7);
    // minSamplesSplit = 2 * minSamplesLeaf - 1 changes nothing; larger stops earlier.
    const split = await new DecisionTreeClassifier({ minSamplesSplit: 60 }).fit(X, y);
    expect(split.nodeCount).toBeLessThan(model.nodeCount);
  });

  it('chooses different splits by gini and by entropy, as computed by hand', async () => {
    // 4 of class 0, 4 of class 1, 2 of class 2.
    // Feature 0 isolates one sample of class 2: children [0,0,1] and [4,4,1].
    //   weighted Gini    0.9 * (1 - 33/81)                              = 0.5333
    //   weighted entropy 0.9 * (2 * 4/9 log2(9/4) + 1/9 log2 9)         = 1.2529
    // Feature 1 splits [1,1,2] from [3,3,0].
    //   weighted Gini    0.4 * (1 - 6/16) + 0.6 * 0.5                   = 0.5500
    //   weighted entropy 0.4 * 1.5 + 0.6 * 1                            = 1.2000
    // Gini prefers feature 0, entropy feature 1.
    const X = matrix([
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 1],
      [0, 1],
    ]);
    const y = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2];
    const gini = nodesOf(await new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y));
    const entropy = nodesOf(
      await new DecisionTreeClassifier({ maxDepth: 1, criterion: 'entropy' }).fit(X, y),
    );
    expect(gini.feature[0]).toBe(0);
    expect(entropy.feature[0]).toBe(1);
    expect(gini.value[gini.left[0]]).toEqual([4 / 9, 4 / 9, 1 / 9].map(Math.fround));
    expect(entropy.value[entropy.right[0]]).toEqual([1 / 4, 1 / 4, 1 / 2]);

    const totals = Float64Array.of(4, 4, 2);
    expect(nodeImpurity('gini', totals, 0, 3, 10)).toBeCloseTo(1 - 0.16 - 0.16 - 0.04, 12);
    const entropyBits = -(2 * 0.4 * Math.log2(0.4) + 0.2 * Math.log2(0.2));
    expect(nodeImpurity('entropy', totals, 0, 3, 10)).toBeCloseTo(entropyBits, 12);
  });

  it("weighs classes inversely to their frequency with classWeight: 'balanced'", async () => {
    // Region x < 0.5: 40 of class 0, 8 of class 1. Region x > 0.5: 50 of class 0, 2 of class 1.
    const rows: number[][] = [];
    const y: number[] = [];
    const add = (x: number, label: number, count: number) => {
      for (let i = 0; i < count; i++) {
        rows.push([x]);
        y.push(label);
      }
    };
    add(0.1, 0, 40);
    add(0.1, 1, 8);
    add(0.6, 0, 50);
    add(0.6, 1, 2);
    const X = matrix(rows);
    const probe = matrix([[0.2], [0.7]]);
    const plain = await new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y);
    const balanced = await new DecisionTreeClassifier({ maxDepth: 1, classWeight: 'balanced' }).fit(
      X,
      y,
    );
    expect(Array.from(plain.predict(probe))).toEqual([0, 0]);
    // Weights 100 / (2 * 90) and 100 / (2 * 10): in x < 0.5, 40 * 0.556 = 22.2 < 8 * 5 = 40.
    expect(Array.from(balanced.predict(probe))).toEqual([1, 0]);
    const share = 40 / (40 + 8 * 9);
    expect(balanced.predictProba(probe).get(0, 0)).toBeCloseTo(share, 6);

    // A tree that cannot split predicts the (weighted) class shares of the whole set.
    const constant = matrix(rows.map(() => [1]));
    const stump = await new DecisionTreeClassifier({ classWeight: 'balanced' }).fit(constant, y);
    expect(stump.nodeCount).toBe(1);
    expect(stump.predictProba(probe).get(0, 0)).toBeCloseTo(0.5, 6);
    expect(stump.predictProba(probe).get(0, 1)).toBeCloseTo(0.5, 6);
  });

  it('refuses out-of-range hyper-parameters by name', () => {
    expect(() => new DecisionTreeClassifier({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => new DecisionTreeClassifier({ minSamplesSplit: 1 })).toThrow(/minSamplesSplit/);
    expect(() => new DecisionTreeClassifier({ maxFeatures: 1.5 })).toThrow(ValueError);
    expect(() => new DecisionTreeClassifier({ maxBins: 257 })).toThrow(/maxBins/);
    expect(
      () => new DecisionTreeClassifier({ criterion: 'log_loss' as unknown as 'gini' }),
    ).toThrow(/criterion/);
  });
});

describe('feature binning', () => {
  it('gives a feature with few distinct values one bin per value (-0 and 0 are one value)', () => {
    const column = [0.5, -0, 0.25, 1, 0, 0.25, 0.75];
    const binned = binFeatures(Float32Array.from(column), column.length, 1, 256, allocate);
    expect(Array.from(binned.columns)).toEqual([2, 0, 1, 4, 0, 1, 3]);
    expect(binned.rowStride).toBe(4);
    for (let i = 0; i < column.length; i++) expect(binned.rows[4 * i]).toBe(binned.columns[i]);
    expect(binned.binCounts[0]).toBe(5);
    expect(Array.from(binned.binLow.subarray(0, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('bins by rank among the distinct values and lays the bins out both ways, any shape', () => {
    const rng = new Rng(8);
    // Word-sized shapes (multiples of 4) take the word transpose, the others the byte one.
    for (const [n, features] of [
      [7, 3],
      [64, 4],
      [132, 68],
      [130, 70],
      [1, 1],
    ]) {
      // Long runs of zeros, as blank pixels make them, between at most 8 other values per
      // feature: 0 and 1..8 on even features, 0 and 1.5..8.5 on odd ones. With maxBins = 256
      // the whole matrix is binned at once; with 9, its 17 values are too many for that and
      // the features are binned one by one. Both give one bin per value.
      const x = Float32Array.from({ length: n * features }, (_, at) =>
        rng.uniform() < 0.6 ? 0 : 1 + rng.int(8) + ((at % features) % 2) / 2,
      );
      for (const maxBins of [256, 9]) {
        const binned = binFeatures(x, n, features, maxBins, allocate);
        expect(binned.rowStride).toBe(Math.ceil(features / 4) * 4);
        for (let f = 0; f < features; f++) {
          const column = Array.from({ length: n }, (_, i) => x[i * features + f]);
          const distinct = [...new Set(column)].sort((a, b) => a - b);
          expect(binned.binCounts[f]).toBe(distinct.length);
          for (let i = 0; i < n; i++) {
            expect(binned.columns[f * n + i]).toBe(distinct.indexOf(column[i]));
            expect(binned.rows[i * binned.rowStride + f]).toBe(binned.columns[f * n + i]);
          }
        }
        for (let i = 0; i < n; i++) {
          for (let f = features; f < binned.rowStride; f++) {
            expect(binned.rows[i * binned.rowStride + f]).toBe(0);
          }
        }
      }
    }
  });

  it('bins values exactly, with their bounds, whether or not the matrix has more than maxBins', () => {
    // Three features of three values each: 9 values in all, more than maxBins = 4, so the
    // features are then binned one by one, each still one bin per value.
    const n = 30;
    const features = 3;
    const x = Float32Array.from({ length: n * features }, (_, at) => {
      const f = at % features;
      const i = (at - f) / features;
      return 10 * f + ((i + f) % 3) / 4;
    });
    for (const maxBins of [4, 9, 256]) {
      const binned = binFeatures(x, n, features, maxBins, allocate);
      for (let f = 0; f < features; f++) {
        const column = Array.from({ length: n }, (_, i) => x[i * features + f]);
        const distinct = [...new Set(column)].sort((a, b) => a - b);
        expect(binned.binCounts[f]).toBe(3);
        expect(Array.from(binned.binLow.subarray(f * 256, f * 256 + 3))).toEqual(distinct);
        expect(Array.from(binned.binHigh.subarray(f * 256, f * 256 + 3))).toEqual(distinct);
        for (let i = 0; i < n; i++) {
          expect(binned.columns[f * n + i]).toBe(distinct.indexOf(column[i]));
          expect(binned.rows[i * binned.rowStride + f]).toBe(binned.columns[f * n + i]);
        }
      }
    }
  });

  it('gives a feature with many distinct values quantile bins at midpoint percentiles', () => {
    const n = 1000;
    const values = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % n) ** 2 / 1e6);
    const sorted = values.slice().sort();
    const edges = quantileEdges(sorted, 4);
    // Position of the 25th percentile: 0.25 * 999 = 249.75, between order statistics 249 and 250.
    expect(Array.from(edges)).toEqual(
      [
        [249, 250],
        [499, 500],
        [749, 750],
      ].map(([a, b]) => Math.fround((sorted[a] + sorted[b]) / 2)),
    );
    const binned = binFeatures(values, n, 1, 4, allocate);
    expect(binned.binCounts[0]).toBe(4);
    for (let i = 0; i < n; i++) {
      const bin = binned.columns[i];
      expect(edges.filter((edge) => edge < values[i]).length).toBe(bin);
      expect(values[i]).toBeGreaterThanOrEqual(binned.binLow[bin]);
      expect(values[i]).toBeLessThanOrEqual(binned.binHigh[bin]);
    }
    // Each quarter of the samples lands in its own bin.
    for (let b = 0; b < 4; b++) expect(binned.columns.filter((v) => v === b).length).toBe(250);
  });
});
