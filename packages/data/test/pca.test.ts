import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, withPool } from '@typedlearn/tensor';
import {
  NotFittedError,
  PCA,
  flattenImages,
  takeRows,
  toFloat01,
  transformFromState,
} from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';

interface PcaFixture {
  about: string;
  rows: number[];
  mean: number[];
  explained_variance: number[];
  explained_variance_ratio: number[];
  components: number[][];
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/pca.json', import.meta.url), 'utf8'),
) as PcaFixture;

/** The fixture's 2000 training rows as float32 pixels / 255. */
function fixtureRows(): Tensor {
  const { train } = loadMnist();
  return toFloat01(takeRows(flattenImages(train.images), fixture.rows));
}

/** Uniform numbers in [0, 1) with a different scale per column, from a small LCG. */
function randomMatrix(rows: number, cols: number, seed: number): Tensor {
  let state = seed;
  const data = Float32Array.from({ length: rows * cols }, (_, i) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * (1 + (i % cols));
  });
  return new Tensor(data, [rows, cols]);
}

describe('PCA', () => {
  it('fits the same bits with its covariance on a pool of threads', async () => {
    // 3,500 rows: four chunks of 1,024, the last one short, in two waves of two threads.
    const x = randomMatrix(3500, 23, 5);
    for (const nComponents of [4, 0.9] as const) {
      const alone = new PCA({ nComponents });
      const expected = alone.fitTransform(x);
      const pooled = new PCA({ nComponents });
      const out = await withPool(2, (pool) => pooled.fitTransformOn(pool, x));
      expect(out.data).toEqual(expected.data);
      const [a, b] = [alone.toState().tensors, pooled.toState().tensors];
      for (const name of Object.keys(a)) expect(b[name].data).toEqual(a[name].data);
    }
  });

  it("matches scikit-learn's PCA on 2000 MNIST rows (fixture)", () => {
    expect(fixture.about).toMatch(/largest-magnitude entry is positive/);
    const pca = new PCA({ nComponents: 30 }).fit(fixtureRows());
    expect(pca.nComponents).toBe(30);
    pca.mean.forEach((m, j) => expect(m).toBeCloseTo(fixture.mean[j], 5));
    fixture.explained_variance.forEach((v, k) => {
      expect(Math.abs(pca.explainedVariance[k] - v) / v).toBeLessThan(1e-5);
      expect(
        Math.abs(pca.explainedVarianceRatio[k] - fixture.explained_variance_ratio[k]) /
          fixture.explained_variance_ratio[k],
      ).toBeLessThan(1e-5);
    });
    const components = pca.components;
    expect(components.shape).toEqual([30, 784]);
    let worst = 0;
    fixture.components.forEach((axis, k) =>
      axis.forEach((w, j) => (worst = Math.max(worst, Math.abs(components.get(k, j) - w)))),
    );
    expect(worst).toBeLessThan(1e-4);
  });

  it('keeps the fewest components whose variance ratios add up to more than a fraction', () => {
    const X = randomMatrix(200, 12, 3);
    const all = new PCA().fit(X);
    let cumulative = 0;
    const fraction = 0.6;
    let expected = 0;
    while (cumulative <= fraction) cumulative += all.explainedVarianceRatio[expected++];
    const pca = new PCA({ nComponents: fraction }).fit(X);
    expect(pca.nComponents).toBe(expected);
    expect(expected).toBeGreaterThan(1);
    expect(expected).toBeLessThan(12);
    expect(Array.from(pca.explainedVariance)).toEqual(
      Array.from(all.explainedVariance.subarray(0, expected)),
    );
  });

  it('finds the axes of a hand-made 2-D cloud', () => {
    // Points on the line y = x (spread 2) plus a small spread across it: variances 4 and 1/4
    // along (1, 1)/sqrt2 and (1, -1)/sqrt2 (divisor n - 1 = 3).
    const s = Math.SQRT1_2;
    const along = [-3, -1, 1, 3].map((t) => t * Math.sqrt((4 * 3) / 20));
    const across = [1, -1, -1, 1].map((t) => (t * Math.sqrt(0.25 * 3)) / 2);
    const X = Tensor.from(
      along.flatMap((a, i) => [10 + s * (a + across[i]), -5 + s * (a - across[i])]),
      [4, 2],
    );
    const pca = new PCA().fit(X);
    expect(pca.explainedVariance[0]).toBeCloseTo(4, 5);
    expect(pca.explainedVariance[1]).toBeCloseTo(0.25, 5);
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo(4 / 4.25, 5);
    expect(Array.from(pca.mean)).toEqual([10, -5]);
    expect(pca.components.get(0, 0)).toBeCloseTo(s, 5);
    expect(pca.components.get(0, 1)).toBeCloseTo(s, 5);
    expect(pca.components.get(1, 0) * pca.components.get(1, 1)).toBeCloseTo(-0.5, 5);
    const Z = pca.transform(X);
    Z.shape.forEach((n, d) => expect(n).toBe([4, 2][d]));
    along.forEach((a, i) => expect(Z.get(i, 0)).toBeCloseTo(a, 5));
  });

  it('gives a constant feature variance 0 and its own unit axis', () => {
    const varying = randomMatrix(30, 4, 9);
    const X = Tensor.zeros([30, 5]);
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 4; j++) X.set(varying.get(i, j), i, j < 2 ? j : j + 1);
      X.set(7, i, 2); // feature 2 never varies
    }
    const pca = new PCA().fit(X);
    const reference = new PCA().fit(varying);
    for (let k = 0; k < 4; k++) {
      expect(pca.explainedVariance[k]).toBeCloseTo(reference.explainedVariance[k], 6);
      expect(Math.abs(pca.components.get(k, 2))).toBe(0);
    }
    expect(pca.explainedVariance[4]).toBe(0);
    expect(Array.from(pca.components.row(4).toTypedArray())).toEqual([0, 0, 1, 0, 0]);
    expect(pca.explainedVarianceRatio.reduce((p, r) => p + r, 0)).toBeCloseTo(1, 6);
  });

  it('reconstructs the data exactly from all components, and saves and restores', () => {
    const X = randomMatrix(40, 25, 5);
    const full = new PCA().fit(X);
    expect(full.nComponents).toBe(25);
    const back = full.inverseTransform(full.transform(X));
    let worst = 0;
    for (let i = 0; i < X.size; i++) worst = Math.max(worst, Math.abs(back.data[i] - X.data[i]));
    expect(worst).toBeLessThan(1e-5);

    const pca = new PCA({ nComponents: 10 }).fit(X);
    const restored = transformFromState(pca.toState());
    expect(restored).toBeInstanceOf(PCA);
    expect(Array.from(restored.transform(X).data)).toEqual(Array.from(pca.transform(X).data));
  });

  it('refuses bad options and use before fit', () => {
    expect(() => new PCA({ nComponents: 0 })).toThrow(
      /count >= 1, a variance fraction in \(0, 1\) or 'all'/,
    );
    expect(() => new PCA({ nComponents: 2.5 })).toThrow(/nComponents/);
    expect(() => new PCA({ nComponent: 3 } as never)).toThrow(/PCA has no option 'nComponent'/);
    expect(() => new PCA({ nComponents: 3 }).fit(Tensor.zeros([2, 5]))).toThrow(
      /exceeds min\(samples, features\) = 2/,
    );
    expect(() => new PCA().transform(Tensor.zeros([2, 5]))).toThrow(NotFittedError);
    const pca = new PCA({ nComponents: 1 }).fit(Tensor.from([0, 1, 2, 3, 4, 6], [3, 2]));
    expect(() => pca.transform(Tensor.zeros([1, 3]))).toThrow(/fitted on 2 features, but X has 3/);
  });
});
