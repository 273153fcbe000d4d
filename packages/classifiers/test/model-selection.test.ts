// Cross-validation and grid search with a one-feature nearest-centroid classifier on data where
// exactly one feature separates the classes, so the best grid point is known in advance.
import { Tensor, ValueError, type DType } from '@typedlearn/tensor';
import { describe, expect, it } from 'vitest';
import { BaseClassifier, NotFittedError, checkNumber, type Fitted } from '../src/index.js';
import {
  GridSearch,
  crossValScore,
  expandGrid,
  type SelectionProgress,
} from '../src/model-selection/index.js';

interface OneFeatureParams {
  /** The only column the model looks at. */
  feature: number;
  /** Multiplies the column; nearest-centroid decisions do not change with it. */
  scale: number;
}

/** Predicts the class whose mean of column `feature` is closest. */
class OneFeatureCentroid extends BaseClassifier<OneFeatureParams, { means: Float64Array }> {
  readonly modelType = 'one-feature-centroid';

  constructor(options?: Partial<OneFeatureParams>) {
    super('OneFeatureCentroid', { feature: 0, scale: 1 }, options);
  }

  protected validateParams(params: OneFeatureParams): void {
    checkNumber('OneFeatureCentroid', 'feature', params.feature, { integer: true, min: 0 });
    checkNumber('OneFeatureCentroid', 'scale', params.scale, { min: 0, exclusiveMin: true });
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
  ): Promise<Fitted<{ means: Float64Array }>> {
    const means = new Float64Array(nClasses);
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < y.length; i++) {
      means[y[i]] += this.value(X, i);
      counts[y[i]]++;
    }
    for (let k = 0; k < nClasses; k++) means[k] /= counts[k];
    return { state: { means } };
  }

  protected predictEncoded(X: Tensor): Int32Array {
    const { means } = this.state;
    const out = new Int32Array(X.shape[0]);
    for (let i = 0; i < out.length; i++) {
      const v = this.value(X, i);
      let best = 0;
      for (let k = 1; k < means.length; k++) {
        if (Math.abs(v - means[k]) < Math.abs(v - means[best])) best = k;
      }
      out[i] = best;
    }
    return out;
  }

  protected stateTensors(state: { means: Float64Array }): Record<string, Tensor<DType>> {
    return { means: Tensor.from(state.means, [state.means.length]) };
  }

  private value(X: Tensor, row: number): number {
    return X.get(row, this.params.feature) * this.params.scale;
  }
}

/**
 * 30 samples of classes 0, 1, 2 (10 each, interleaved). Column 1 is 10 * class plus a little
 * jitter, so it separates the classes perfectly; columns 0 and 2 cycle through values that
 * have nothing to do with the class. Column 3 is the row number.
 */
function separableData(): { X: Tensor; y: Int32Array } {
  const n = 30;
  const X = Tensor.zeros([n, 4]);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    X.set((i * 7) % 5, i, 0);
    X.set(10 * y[i] + ((i * 3) % 4) / 4, i, 1);
    X.set((i * 11) % 6, i, 2);
    X.set(i, i, 3);
  }
  return { X, y };
}

describe('crossValScore', () => {
  const { X, y } = separableData();

  it('scores the informative feature perfectly on every fold', async () => {
    const result = await crossValScore(() => new OneFeatureCentroid({ feature: 1 }), X, y, {
      cv: 3,
    });
    expect(result).toEqual({ scores: [1, 1, 1], mean: 1, std: 0 });
  });

  it('takes an estimator as well as a factory, and leaves the estimator unfitted', async () => {
    const estimator = new OneFeatureCentroid({ feature: 1 });
    const result = await crossValScore(estimator, X, y, { cv: 3 });
    expect(result).toEqual({ scores: [1, 1, 1], mean: 1, std: 0 });
    expect(estimator.isFitted).toBe(false);
    const weak = await crossValScore(new OneFeatureCentroid({ feature: 0 }), X, y, { cv: 3 });
    expect(weak.mean).toBeLessThan(1);
  });

  it('reports the mean and population standard deviation of the fold scores', async () => {
    const { scores, mean, std } = await crossValScore(
      () => new OneFeatureCentroid({ feature: 0 }),
      X,
      y,
      { cv: 5, scoring: 'balancedAccuracy' },
    );
    expect(scores).toHaveLength(5);
    expect(mean).toBeCloseTo(scores.reduce((a, b) => a + b) / 5, 15);
    expect(std).toBeCloseTo(Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / 5), 15);
    expect(mean).toBeLessThan(1);
  });

  it('fits on the other folds and scores on this one, every row held out once', async () => {
    // Column 3 holds the row number: the scorer sees which rows are held out.
    const heldOut: number[] = [];
    const { scores } = await crossValScore(() => new OneFeatureCentroid({ feature: 3 }), X, y, {
      cv: 4,
      scoring: (model, XTest, yTest) => {
        for (let i = 0; i < yTest.length; i++) heldOut.push(XTest.get(i, 3));
        expect(model.isFitted).toBe(true);
        return yTest.length;
      },
    });
    expect(scores.reduce((a, b) => a + b)).toBe(30);
    expect(heldOut.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('uses explicit folds as given', async () => {
    const folds = [
      {
        train: Int32Array.from({ length: 24 }, (_, i) => i),
        test: Int32Array.of(24, 25, 26, 27, 28, 29),
      },
      { train: Int32Array.from({ length: 24 }, (_, i) => i + 6), test: Int32Array.of(0, 1, 2) },
    ];
    const { scores } = await crossValScore(() => new OneFeatureCentroid({ feature: 1 }), X, y, {
      cv: folds,
      scoring: (_, XTest) => XTest.shape[0],
    });
    expect(scores).toEqual([6, 3]);
  });

  it('reports progress after every fold and stops when aborted', async () => {
    const seen: SelectionProgress[] = [];
    await crossValScore(() => new OneFeatureCentroid({ feature: 1 }), X, y, {
      cv: 3,
      onProgress: (p) => seen.push(p),
    });
    expect(seen).toEqual(
      [0, 1, 2].map((fold) => ({
        stage: 'fold',
        step: fold + 1,
        total: 3,
        candidate: 0,
        fold,
        score: 1,
      })),
    );

    const controller = new AbortController();
    let calls = 0;
    const run = crossValScore(() => new OneFeatureCentroid({ feature: 1 }), X, y, {
      cv: 3,
      signal: controller.signal,
      onProgress: () => {
        calls++;
        controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
    expect(calls).toBe(1);
  });

  it('refuses bad options and models without probabilities for negLogLoss', async () => {
    const make = () => new OneFeatureCentroid({ feature: 1 });
    await expect(crossValScore(make, X, y, { cv: 1 })).rejects.toThrow(ValueError);
    // @ts-expect-error: not a scorer name
    await expect(crossValScore(make, X, y, { scoring: 'f2' })).rejects.toThrow(
      /unknown scoring 'f2'/,
    );
    await expect(crossValScore(make, X, y, { scoring: 'negLogLoss' })).rejects.toThrow(
      /has no predictProba/,
    );
    await expect(
      crossValScore(make, X, y, { cv: [{ train: Int32Array.of(0, 1), test: Int32Array.of(99) }] }),
    ).rejects.toThrow(/row index 99/);
    await expect(crossValScore(make, X, y.subarray(1))).rejects.toThrow(
      /29 labels but X has 30 rows/,
    );
  });
});

describe('expandGrid', () => {
  it("follows scikit-learn's ParameterGrid order: names sorted, the last varying fastest", () => {
    expect(expandGrid({ b: ['x', 'y'], a: [1, 2] })).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });
  it('takes a list of grids in turn, and an empty grid as one candidate', () => {
    expect(
      expandGrid<Record<string, unknown>>([{ a: [1, 2], b: ['x'] }, { c: [true] }, {}]),
    ).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'x' }, { c: true }, {}]);
  });
  it('refuses an empty list of values', () => {
    expect(() => expandGrid({ a: [] })).toThrow(/'a' must be a non-empty array/);
    expect(() => expandGrid([])).toThrow(/empty list/);
  });
});

describe('GridSearch', () => {
  const { X, y } = separableData();
  const grid = { feature: [0, 1, 2], scale: [1, 2] };

  it('takes an estimator whose hyper-parameters the grid overrides', async () => {
    const estimator = new OneFeatureCentroid({ feature: 0, scale: 2 });
    const search = new GridSearch(estimator, { feature: [0, 1, 2] }, { cv: 3 });
    await search.fit(X, y);
    expect(search.bestParams).toEqual({ feature: 1 });
    expect(search.bestEstimator.getParams()).toEqual({ feature: 1, scale: 2 });
    expect(estimator.isFitted).toBe(false);
    expect(estimator.getParams()).toEqual({ feature: 0, scale: 2 });
  });

  it('finds the informative feature, ranks the candidates and refits the best', async () => {
    const search = new GridSearch(
      (params: OneFeatureParams) => new OneFeatureCentroid(params),
      grid,
      {
        cv: 3,
      },
    );
    const progress: SelectionProgress[] = [];
    await search.fit(X, y, { onProgress: (p) => progress.push(p) });

    expect(search.candidates.map((c) => [c.feature, c.scale])).toEqual([
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    const { results } = search;
    expect(results.map((r) => r.params)).toEqual(search.candidates);
    // Both candidates on column 1 are perfect and share rank 1; the first of them is the best.
    expect(results[2]).toMatchObject({ meanScore: 1, stdScore: 0, rank: 1, foldScores: [1, 1, 1] });
    expect(results[3].rank).toBe(1);
    expect(search.bestIndex).toBe(2);
    expect(search.bestParams).toEqual({ feature: 1, scale: 1 });
    expect(search.bestScore).toBe(1);
    // Scale does not change a nearest-centroid decision, so each pair of candidates ties.
    for (const pair of [
      [0, 1],
      [4, 5],
    ]) {
      expect(results[pair[0]].foldScores).toEqual(results[pair[1]].foldScores);
      expect(results[pair[0]].rank).toBe(results[pair[1]].rank);
      expect(results[pair[0]].rank).toBeGreaterThanOrEqual(3);
      expect(results[pair[0]].meanScore).toBeLessThan(1);
    }
    for (const row of results) {
      expect(row.rank).toBe(1 + results.filter((other) => other.meanScore > row.meanScore).length);
      expect(row.meanFitSeconds).toBeGreaterThanOrEqual(0);
    }

    const best = search.bestEstimator;
    expect(best.params).toEqual({ feature: 1, scale: 1 });
    expect(best.nFeatures).toBe(4);
    expect(Array.from(best.predict(X))).toEqual(Array.from(y));

    // One report per candidate and fold, then one for the refit, counting up to the total.
    expect(progress).toHaveLength(6 * 3 + 1);
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 19)).toBe(true);
    expect(progress[4]).toMatchObject({ stage: 'fold', candidate: 1, fold: 1 });
    expect(progress[18]).toMatchObject({ stage: 'refit', candidate: 2, fold: 3 });
  });

  it('ranks NaN scores last', async () => {
    const search = new GridSearch(
      (params: OneFeatureParams) => new OneFeatureCentroid(params),
      grid,
      {
        cv: 3,
        scoring: (model, XTest, yTest) =>
          model.params.feature === 2 ? NaN : model.score(XTest, yTest),
      },
    );
    await search.fit(X, y);
    expect(search.results.map((r) => r.rank).slice(4)).toEqual([5, 5]);
    expect(search.bestParams.feature).toBe(1);
  });

  it('without refit keeps no estimator; before fit has no results', async () => {
    const search = new GridSearch(
      (params: OneFeatureParams) => new OneFeatureCentroid(params),
      grid,
      {
        cv: 3,
        refit: false,
      },
    );
    expect(() => search.results).toThrow(NotFittedError);
    const progress: SelectionProgress[] = [];
    await search.fit(X, y, { onProgress: (p) => progress.push(p) });
    expect(progress).toHaveLength(18);
    expect(search.bestParams).toEqual({ feature: 1, scale: 1 });
    expect(() => search.bestEstimator).toThrow(/refit: false/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const search = new GridSearch(
      (params: OneFeatureParams) => new OneFeatureCentroid(params),
      grid,
      {
        cv: 3,
      },
    );
    const run = search.fit(X, y, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step === 4) controller.abort(new Error('enough'));
      },
    });
    await expect(run).rejects.toThrow('enough');
    expect(() => search.results).toThrow(NotFittedError);
  });
});
