import { describe, expect, it } from 'vitest';
import { Tensor, TypedlearnError } from '@typedlearn/tensor';
import {
  NotFittedError,
  PCA,
  Pipeline,
  StandardScaler,
  transformFromState,
  type PipelineEstimator,
} from '@typedlearn/data';

/** A nearest-centroid classifier: enough of an estimator to check how Pipeline drives one. */
class NearestCentroid implements PipelineEstimator<{ signal?: AbortSignal; note?: string }> {
  centroids: number[][] = [];
  seen: { X?: Tensor; options?: { signal?: AbortSignal; note?: string } } = {};

  async fit(
    X: Tensor,
    y: ArrayLike<number>,
    options?: { signal?: AbortSignal; note?: string },
  ): Promise<this> {
    this.seen = { X, options };
    const [n, d] = X.matrixShape();
    const sums = new Map<number, { sum: number[]; count: number }>();
    for (let i = 0; i < n; i++) {
      const entry = sums.get(y[i]) ?? { sum: new Array<number>(d).fill(0), count: 0 };
      for (let j = 0; j < d; j++) entry.sum[j] += X.get(i, j);
      entry.count++;
      sums.set(y[i], entry);
    }
    this.centroids = [];
    for (const [label, { sum, count }] of sums) this.centroids[label] = sum.map((s) => s / count);
    return this;
  }

  predict(X: Tensor): Int32Array {
    const [n, d] = X.matrixShape();
    return Int32Array.from({ length: n }, (_, i) => {
      let best = 0;
      let bestDistance = Infinity;
      this.centroids.forEach((c, label) => {
        let distance = 0;
        for (let j = 0; j < d; j++) distance += (X.get(i, j) - c[j]) ** 2;
        if (distance < bestDistance) [best, bestDistance] = [label, distance];
      });
      return best;
    });
  }
}

// Two well-separated blobs in 3-D whose third feature has a huge scale.
const X = Tensor.from(
  [0, 0, 1000, 0.2, 0.1, 1010, 0.1, 0.3, 990, 5, 5, 3000, 5.2, 4.9, 3020, 4.8, 5.1, 2980],
  [6, 3],
);
const y = Int32Array.from([0, 0, 0, 1, 1, 1]);

describe('Pipeline', () => {
  it('fits its transforms on threads when the fit asks for them, to the same states', async () => {
    const [one, two] = [1, 2].map(
      () => new Pipeline([new StandardScaler(), new PCA()], new NearestCentroid()),
    );
    await one.fit(X, y, { threads: 1 } as never);
    await two.fit(X, y, { threads: 2 } as never);
    expect(two.transforms.map((t) => t.toState())).toEqual(one.transforms.map((t) => t.toState()));
    expect(Array.from(two.predict(X))).toEqual(Array.from(y));
  });

  it('fits each transform on the previous output, then the estimator, and predicts through them', async () => {
    const scaler = new StandardScaler();
    const pca = new PCA({ nComponents: 2 });
    const estimator = new NearestCentroid();
    const model = new Pipeline([scaler, pca], estimator);
    expect(model.isFitted).toBe(false);
    expect(await model.fit(X, y, { note: 'passed on' })).toBe(model);
    expect(model.isFitted).toBe(true);
    expect(estimator.seen.options).toEqual({ note: 'passed on' });
    // The estimator saw exactly scaler -> PCA applied to X, fitted in that order.
    const expected = new PCA({ nComponents: 2 }).fitTransform(new StandardScaler().fitTransform(X));
    expect(estimator.seen.X?.shape).toEqual([6, 2]);
    expect(Array.from(estimator.seen.X!.data)).toEqual(Array.from(expected.data));
    expect(Array.from(model.preprocess(X).data)).toEqual(Array.from(expected.data));
    expect(Array.from(model.predict(X))).toEqual(Array.from(y));
    expect(Array.from(model.predict(Tensor.from([0, 0, 1005, 5, 5, 2990], [2, 3])))).toEqual([
      0, 1,
    ]);
  });

  it('restores from saved transform states plus a fitted estimator', async () => {
    const model = new Pipeline(
      [new StandardScaler(), new PCA({ nComponents: 2 })],
      new NearestCentroid(),
    );
    await model.fit(X, y);
    const restored = new Pipeline(
      model.transforms.map((t) => transformFromState(t.toState())),
      model.estimator,
    );
    expect(Array.from(restored.preprocess(X).data)).toEqual(Array.from(model.preprocess(X).data));
  });

  it('refuses use before fit, missing estimator methods, and stops when aborted', async () => {
    const model = new Pipeline([new StandardScaler()], new NearestCentroid());
    expect(() => model.predict(X)).toThrow(NotFittedError);
    await model.fit(X, y);
    expect(() => model.score(X, y)).toThrow(TypedlearnError);
    expect(() => model.predictProba(X)).toThrow(
      /estimator \(NearestCentroid\) has no predictProba method/,
    );
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const fresh = new Pipeline([new StandardScaler()], new NearestCentroid());
    await expect(fresh.fit(X, y, { signal: controller.signal })).rejects.toThrow('stop');
    expect(fresh.transforms[0].isFitted).toBe(false);
  });

  it('takes a table, keeps its column names and refuses other columns when it predicts', async () => {
    const table = { X, featureNames: ['x', 'y', 'height'] };
    const model = new Pipeline([new StandardScaler()], new NearestCentroid());
    expect(model.featureNames).toBeUndefined();
    await model.fit(table, y);
    expect(model.featureNames).toEqual(['x', 'y', 'height']);
    expect(Array.from(model.predict(table))).toEqual(Array.from(y));
    // A plain matrix has no names to check; a table must have the same columns in order.
    expect(Array.from(model.predict(X))).toEqual(Array.from(y));
    expect(() => model.predict({ X, featureNames: ['y', 'x', 'height'] })).toThrow(
      "X's columns are not the ones the model was fitted on (the same names in another order)",
    );
    expect(() => model.predict({ X, featureNames: ['x', 'y', 'width'] })).toThrow(
      /missing \["height"\], unexpected \["width"\]/,
    );
    await expect(model.fit({ X, featureNames: ['x', 'x', 'height'] }, y)).rejects.toThrow(
      'X.featureNames must be 3 distinct strings, one per column',
    );
  });
});
