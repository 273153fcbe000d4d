// Exactness against LIBSVM: scikit-learn 1.2.1's SVC on MNIST subsets (test/fixtures/svm.json).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tensor } from '@typedlearn/tensor';
import { flattenImages, toFloat01, type ImageSet } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { ovrDecisionScores, SVC } from '../src/index.js';

interface SvmFixture {
  C: number;
  gamma: number;
  tol: number;
  binary: {
    classes: number[];
    train_rows: number[];
    test_rows: number[];
    support_rows: number[];
    dual_coef: number[];
    intercept: number;
    test_decision: number[];
    test_pred: number[];
  };
  multi: {
    train_rows: number[];
    test_rows: number[];
    n_support_per_class: number[];
    test_decision_ovo: number[][];
    test_decision_ovr: number[][];
    test_pred: number[];
    test_accuracy: number;
  };
}

const fixture: SvmFixture = JSON.parse(
  readFileSync(new URL('./fixtures/svm.json', import.meta.url), 'utf8'),
);

/** Rows `rows` of an MNIST image set as pixels / 255, with their labels. */
function take(set: ImageSet, rows: number[]): { X: Tensor; y: Int32Array } {
  const all = flattenImages(set.images);
  const d = all.shape[1];
  const pixels = new Uint8Array(rows.length * d);
  rows.forEach((r, i) => pixels.set(all.data.subarray(r * d, (r + 1) * d), i * d));
  return {
    X: toFloat01(new Tensor(pixels, [rows.length, d])),
    y: Int32Array.from(rows, (r) => set.labels[r]),
  };
}

let mnist: ReturnType<typeof loadMnist>;
beforeAll(() => {
  mnist = loadMnist();
});

function fixtureModel() {
  return new SVC({ C: fixture.C, gamma: fixture.gamma, tol: fixture.tol });
}

describe('SVC reproduces LIBSVM: binary 3 vs 5', () => {
  const { binary } = fixture;

  it('finds the same support vectors, coefficients, intercept and decision values', async () => {
    const train = take(mnist.train, binary.train_rows);
    const test = take(mnist.test, binary.test_rows);
    const svc = await fixtureModel().fit(train.X, train.y);
    expect(Array.from(svc.classes)).toEqual(binary.classes);

    const support = Array.from(svc.support, (i) => binary.train_rows[i]);
    expect([...support].sort((a, b) => a - b)).toEqual(
      [...binary.support_rows].sort((a, b) => a - b),
    );
    const expectedCoef = new Map(binary.support_rows.map((row, s) => [row, binary.dual_coef[s]]));
    const coef = svc.dualCoef;
    support.forEach((row, s) => expect(coef.get(0, s)).toBeCloseTo(expectedCoef.get(row)!, 3));
    expect(svc.intercept[0]).toBeCloseTo(binary.intercept, 3);

    const decision = svc.decisionFunction(test.X);
    expect(decision.shape).toEqual([binary.test_rows.length]);
    binary.test_decision.forEach((value, i) => {
      expect(Math.abs(decision.get(i) - value)).toBeLessThan(1e-3);
    });
    expect(Array.from(svc.predict(test.X))).toEqual(binary.test_pred);
  });
});

describe('SVC reproduces LIBSVM: ten classes one-vs-one', () => {
  const { multi } = fixture;

  it('gives the same decision values (within 1e-3), predictions and support counts', async () => {
    const train = take(mnist.train, multi.train_rows);
    const test = take(mnist.test, multi.test_rows);
    const svc = await fixtureModel().fit(train.X, train.y);
    expect(Array.from(svc.nSupport)).toEqual(multi.n_support_per_class);

    const decision = svc.decisionFunction(test.X);
    expect(decision.shape).toEqual([multi.test_rows.length, 45]);
    let worst = 0;
    multi.test_decision_ovo.forEach((row, i) => {
      row.forEach((value, p) => (worst = Math.max(worst, Math.abs(decision.get(i, p) - value))));
    });
    expect(worst).toBeLessThan(1e-3);

    // scikit-learn's default decision_function_shape='ovr': votes plus squashed confidence.
    const scores = ovrDecisionScores(decision, 10);
    let worstScore = 0;
    multi.test_decision_ovr.forEach((row, i) => {
      row.forEach(
        (value, c) => (worstScore = Math.max(worstScore, Math.abs(scores.get(i, c) - value))),
      );
    });
    expect(worstScore).toBeLessThan(1e-3);

    const predicted = svc.predict(test.X);
    expect(Array.from(predicted)).toEqual(multi.test_pred);
    expect(svc.score(test.X, test.y)).toBeCloseTo(multi.test_accuracy, 10);
  });
});
