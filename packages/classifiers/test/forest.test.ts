import { describe, expect, it } from 'vitest';
import { FormatError, Rng, Tensor } from '@typedlearn/tensor';
import {
  DecisionTreeClassifier,
  RandomForestClassifier,
  type Classifier,
  type FitProgress,
} from '../src/index.js';
import { blobs } from './helpers/conformance.js';

/**
 * Two informative features among `cols`: the class is the quadrant of (x0, x1) around
 * (0.5, 0.5), with 10% of the labels flipped at random so the problem is not separable.
 */
function quadrants(rows: number, cols: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform();
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const quadrant = (data[i * cols] > 0.5 ? 1 : 0) + (data[i * cols + 1] > 0.5 ? 2 : 0);
    y[i] = rng.uniform() < 0.1 ? rng.int(4) : quadrant;
  }
  return { X: new Tensor(data, [rows, cols]), y };
}

function tensorsOf(model: Classifier): Record<string, unknown> {
  const { tensors } = model.toState();
  return Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, t.toArray()]));
}

describe('RandomForestClassifier', () => {
  it('grows the identical forest on 1 and on 2 threads', async () => {
    const { X, y } = quadrants(300, 6, 3);
    const options = { nEstimators: 12, oobScore: true };
    const one = await new RandomForestClassifier(options).fit(X, y, { seed: 9, threads: 1 });
    const two = await new RandomForestClassifier(options).fit(X, y, { seed: 9, threads: 2 });
    expect(tensorsOf(two)).toEqual(tensorsOf(one));
    expect(two.outOfBagScore).toBe(one.outOfBagScore);
    const other = await new RandomForestClassifier(options).fit(X, y, { seed: 10 });
    expect(tensorsOf(other)).not.toEqual(tensorsOf(one));
  });

  it('estimates the test accuracy from out-of-bag samples', async () => {
    const train = quadrants(600, 5, 4);
    const test = quadrants(2000, 5, 5);
    const forest = await new RandomForestClassifier({ nEstimators: 60, oobScore: true }).fit(
      train.X,
      train.y,
    );
    const testScore = forest.score(test.X, test.y);
    expect(testScore).toBeGreaterThan(0.8);
    expect(Math.abs((forest.outOfBagScore as number) - testScore)).toBeLessThan(0.04);
  });

  it('gives nearly all the importance to the only two features that matter', async () => {
    const { X, y } = quadrants(800, 8, 6);
    const forest = await new RandomForestClassifier({ nEstimators: 40 }).fit(X, y);
    const importances = Array.from(forest.featureImportances);
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const informative = importances[0] + importances[1];
    expect(informative).toBeGreaterThan(0.6);
    for (const noise of importances.slice(2)) {
      expect(noise).toBeLessThan(Math.min(importances[0], importances[1]) / 3);
    }
  });

  it('is a decision tree when it has one tree, no bootstrap and every feature', async () => {
    const { X, y } = quadrants(200, 4, 7);
    const forest = await new RandomForestClassifier({
      nEstimators: 1,
      bootstrap: false,
      maxFeatures: 'all',
    }).fit(X, y, { seed: 3 });
    const tree = await new DecisionTreeClassifier().fit(X, y, { seed: 3 });
    expect(tensorsOf(forest)).toEqual(tensorsOf(tree));
  });

  it('balances rare classes with classWeight', async () => {
    // 5% of class 1, which owns the corner x0 > 0.8 but is outnumbered there by class 0.
    const rng = new Rng(8);
    const rows = 1000;
    const data = new Float32Array(rows * 2);
    const y = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      data[2 * i] = rng.uniform();
      data[2 * i + 1] = rng.uniform();
      y[i] = data[2 * i] > 0.8 && rng.uniform() < 0.3 ? 1 : 0;
    }
    const X = new Tensor(data, [rows, 2]);
    const recallOfRare = (model: Classifier) => {
      const predicted = model.predict(X);
      let hit = 0;
      let total = 0;
      for (let i = 0; i < rows; i++) {
        if (y[i] !== 1) continue;
        total++;
        if (predicted[i] === 1) hit++;
      }
      return hit / total;
    };
    const options = { nEstimators: 20, minSamplesLeaf: 20 };
    const plain = await new RandomForestClassifier(options).fit(X, y);
    const balanced = await new RandomForestClassifier({ ...options, classWeight: 'balanced' }).fit(
      X,
      y,
    );
    expect(recallOfRare(plain)).toBeLessThan(0.3);
    expect(recallOfRare(balanced)).toBeGreaterThan(0.8);
  });

  it('reports progress per tree and stops between trees when aborted', async () => {
    const { X, y } = blobs();
    const progress: FitProgress[] = [];
    await new RandomForestClassifier({ nEstimators: 5 }).fit(X, y, {
      onProgress: (p) => progress.push(p),
    });
    expect(progress.map((p) => `${p.stage} ${p.step}/${p.total}`)).toEqual(
      [1, 2, 3, 4, 5].map((step) => `tree ${step}/5`),
    );

    const controller = new AbortController();
    const model = new RandomForestClassifier({ nEstimators: 50 });
    const fit = model.fit(X, y, {
      onProgress: (p) => {
        if (p.step === 2) controller.abort(new Error('enough'));
      },
      signal: controller.signal,
    });
    await expect(fit).rejects.toThrow('enough');
    expect(model.isFitted).toBe(false);
  });

  it('refuses oobScore without bootstrap and a maxFeatures above the feature count', async () => {
    expect(() => new RandomForestClassifier({ oobScore: true, bootstrap: false })).toThrow(
      /bootstrap/,
    );
    const { X, y } = blobs();
    await expect(new RandomForestClassifier({ maxFeatures: 7 }).fit(X, y)).rejects.toThrow(
      /maxFeatures is 7 but X has only 6 features/,
    );
  });

  it('refuses a model file whose tree links would not end at a leaf', async () => {
    const { X, y } = blobs();
    const state = (await new RandomForestClassifier({ nEstimators: 2 }).fit(X, y)).toState();
    const left = state.tensors.left.clone();
    left.data[0] = 0;
    expect(() =>
      RandomForestClassifier.fromState({ ...state, tensors: { ...state.tensors, left } }),
    ).toThrow(FormatError);
    expect(() =>
      RandomForestClassifier.fromState({
        ...state,
        params: { ...state.params, nEstimators: 3 },
      }),
    ).toThrow(/2 trees, expected 3/);
  });

  it('refuses a model file whose tree shares a child between two links', async () => {
    const { X, y } = blobs();
    const state = (await new RandomForestClassifier({ nEstimators: 2 }).fit(X, y)).toState();
    // The root's right link points at its left child: that subtree is reached twice (a file
    // built this way, link after link, could make a walk over it take exponential time).
    const right = state.tensors.right.clone();
    right.data[0] = state.tensors.left.data[0];
    expect(() =>
      RandomForestClassifier.fromState({ ...state, tensors: { ...state.tensors, right } }),
    ).toThrow(/tree 0 (reaches a node twice|has \d+ nodes no path from its root reaches)/);
  });
});
