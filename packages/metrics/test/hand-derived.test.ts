// Small cases whose answers are derived by hand in the comments (and agree with scikit-learn).
import { describe, expect, it } from 'vitest';
import {
  balancedAccuracy,
  cohenKappa,
  confusionMatrix,
  f1,
  logLoss,
  precision,
  precisionRecallFscoreSupport,
  recall,
  rocAuc,
  topKAccuracy,
} from '../src/index.js';

describe('confusionMatrix', () => {
  const yTrue = [0, 2];
  const yPred = [0, 0];

  it('gives a class that never occurs its own empty row and column when labels are explicit', () => {
    expect(confusionMatrix(yTrue, yPred)).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(confusionMatrix(yTrue, yPred, { labels: [0, 1, 2] })).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
    ]);
  });

  it('orders rows and columns as the labels are given', () => {
    // Row "true 2" predicted 0 lands in column 1, where label 0 now sits.
    expect(confusionMatrix(yTrue, yPred, { labels: [2, 0] })).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('normalises over predictions and over everything; empty rows and columns stay 0', () => {
    const labels = [0, 1, 2];
    expect(confusionMatrix(yTrue, yPred, { labels, normalize: 'pred' })).toEqual([
      [0.5, 0, 0],
      [0, 0, 0],
      [0.5, 0, 0],
    ]);
    expect(confusionMatrix(yTrue, yPred, { labels, normalize: 'all' })).toEqual([
      [0.5, 0, 0],
      [0, 0, 0],
      [0.5, 0, 0],
    ]);
    expect(confusionMatrix(yTrue, yPred, { labels, normalize: 'true' })).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [1, 0, 0],
    ]);
  });

  it('accepts any integer labels, including negative ones', () => {
    expect(confusionMatrix([-1, 5, 5], [5, 5, -1])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});

describe('precision, recall and F-scores', () => {
  // Class 0: tp 1, fp 1, fn 1. Class 1: tp 1, fp 1, fn 1. Class 2: true once, never predicted.
  // Class 3: predicted once, never true.
  const yTrue = [0, 0, 1, 1, 2];
  const yPred = [0, 1, 1, 0, 3];

  it('per class, with zeroDivision deciding only the undefined ratios', () => {
    const zero = precisionRecallFscoreSupport(yTrue, yPred);
    expect(zero.labels).toEqual([0, 1, 2, 3]);
    expect(zero.precision).toEqual([0.5, 0.5, 0, 0]);
    expect(zero.recall).toEqual([0.5, 0.5, 0, 0]);
    expect(zero.fScore).toEqual([0.5, 0.5, 0, 0]);
    expect(zero.support).toEqual([2, 2, 1, 0]);
    const one = precisionRecallFscoreSupport(yTrue, yPred, { zeroDivision: 1 });
    // Class 2 has no prediction (precision 0/0) and class 3 no true sample (recall 0/0).
    expect(one.precision).toEqual([0.5, 0.5, 1, 0]);
    expect(one.recall).toEqual([0.5, 0.5, 0, 1]);
    // Both are counted in the F-score's denominator, so F stays 0 for them.
    expect(one.fScore).toEqual([0.5, 0.5, 0, 0]);
  });

  it('F is zeroDivision for a class neither true nor predicted', () => {
    const labels = [0, 1, 2, 3, 4];
    expect(f1(yTrue, yPred, { labels, average: null })[4]).toBe(0);
    expect(f1(yTrue, yPred, { labels, average: null, zeroDivision: 1 })[4]).toBe(1);
    expect(f1(yTrue, yPred, { labels, average: null, zeroDivision: NaN })[4]).toBeNaN();
  });

  it('averages: macro over classes, weighted by support, micro over counts', () => {
    expect(precision(yTrue, yPred)).toBe((0.5 + 0.5 + 0 + 0) / 4);
    expect(recall(yTrue, yPred, { average: 'weighted' })).toBe((2 * 0.5 + 2 * 0.5) / 5);
    // Micro: 2 correct of 5 predictions and of 5 true labels.
    expect(precision(yTrue, yPred, { average: 'micro' })).toBe(0.4);
    expect(f1(yTrue, yPred, { average: 'micro' })).toBeCloseTo(0.4, 15);
  });

  it('NaN scores are left out of averages', () => {
    // Precision of class 2 is NaN and skipped: (0.5 + 0.5 + 0) / 3.
    expect(precision(yTrue, yPred, { zeroDivision: NaN })).toBeCloseTo(1 / 3, 15);
    // Weighted recall skips class 3 (NaN, weight 0 anyway): (2 * 0.5 + 2 * 0.5 + 1 * 0) / 5.
    expect(recall(yTrue, yPred, { zeroDivision: NaN, average: 'weighted' })).toBe(0.4);
  });

  it('beta weighs recall against precision', () => {
    // Class 1 has tp 1, fp 3, fn 0: precision 1/4, recall 1.
    const classOne = (beta: number): number =>
      precisionRecallFscoreSupport([1, 0, 0, 0], [1, 1, 1, 1], { beta }).fScore[1];
    // F2 = 5 P R / (4 P + R) = (5/4) / 2 = 0.625.
    expect(classOne(2)).toBeCloseTo(0.625, 15);
    expect(classOne(0)).toBe(0.25);
    expect(classOne(Infinity)).toBe(1);
  });
});

describe('balancedAccuracy', () => {
  it('is the mean recall, optionally adjusted for chance', () => {
    // Recalls 1/2 and 2/3: mean 7/12; adjusted (7/12 - 1/2) / (1 - 1/2) = 1/6.
    expect(balancedAccuracy([0, 0, 1, 1, 1], [0, 1, 1, 1, 0])).toBeCloseTo(7 / 12, 15);
    expect(balancedAccuracy([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], { adjusted: true })).toBeCloseTo(
      1 / 6,
      14,
    );
  });

  it('leaves out a class that is predicted but never true', () => {
    // Recall of class 0 is 1/2 and of class 1 is 1; class 2 has no true sample.
    expect(balancedAccuracy([0, 0, 1], [0, 2, 1])).toBe(0.75);
  });
});

describe('cohenKappa', () => {
  // O = [[1,0,0],[0,0,1],[0,0,1]], row sums (1,1,1), column sums (1,0,2), n = 3, so every row
  // of E is (1/3, 0, 2/3).
  const first = [0, 1, 2];
  const second = [0, 2, 2];

  it('unweighted: 1 - 1 / (3 - 1) = 1/2', () => {
    expect(cohenKappa(first, second)).toBeCloseTo(0.5, 15);
  });
  it('linear weights |i - j|: expected cost 4/3 + 1 + 2/3 = 3, so 1 - 1/3', () => {
    expect(cohenKappa(first, second, { weights: 'linear' })).toBeCloseTo(2 / 3, 15);
  });
  it('quadratic weights (i - j)^2: expected cost 8/3 + 1 + 4/3 = 5, so 1 - 1/5', () => {
    expect(cohenKappa(first, second, { weights: 'quadratic' })).toBeCloseTo(0.8, 15);
  });
  it('is 1 for perfect agreement and symmetric in its arguments', () => {
    expect(cohenKappa([0, 1, 2, 1], [0, 1, 2, 1])).toBe(1);
    expect(cohenKappa(second, first)).toBeCloseTo(cohenKappa(first, second), 15);
  });
});

describe('logLoss', () => {
  it('clips a certain wrong answer to machine epsilon of the input type', () => {
    // Sample 0 gets p = 0 for its class, clipped to eps: loss -log(eps). Sample 1 gets p = 1,
    // clipped to 1 - eps (each row still sums to 1): loss -log(1 - eps).
    const rows = [0, 1, 0, 1];
    const expected = (eps: number): number => -(Math.log(eps) + Math.log(1 - eps)) / 2;
    expect(logLoss([0, 1], Float64Array.from(rows))).toBeCloseTo(expected(2 ** -52), 12);
    expect(logLoss([0, 1], Float32Array.from(rows))).toBeCloseTo(expected(2 ** -23), 12);
    expect(logLoss([0, 1], Float64Array.from(rows), { eps: 1e-3 })).toBeCloseTo(expected(1e-3), 12);
  });

  it('is -mean log p(true class) for ordinary probabilities', () => {
    const proba = [
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ];
    expect(logLoss([0, 2], proba)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.5)) / 2, 15);
  });
});

describe('topKAccuracy', () => {
  it('breaks ties as scikit-learn does: the higher class index ranks first', () => {
    const scores = [[0.4, 0.4, 0.2]];
    expect(topKAccuracy([0], scores, { k: 1 })).toBe(0);
    expect(topKAccuracy([1], scores, { k: 1 })).toBe(1);
    expect(topKAccuracy([0], scores, { k: 2 })).toBe(1);
  });

  it('counts a hit when the true class is within the k best', () => {
    const scores = [
      [0.1, 0.6, 0.3],
      [0.5, 0.2, 0.3],
      [0.2, 0.7, 0.1],
    ];
    expect(topKAccuracy([2, 2, 2], scores, { k: 1 })).toBe(0);
    expect(topKAccuracy([2, 2, 2], scores, { k: 2 })).toBeCloseTo(2 / 3, 15);
    expect(topKAccuracy([2, 2, 2], scores, { k: 3 })).toBe(1);
  });
});

describe('rocAuc', () => {
  it('counts a tie between a positive and a negative as half a pair', () => {
    // Positives score {0.5, 0.9}, negatives {0.1, 0.5}: 3 pairs won and 1 tied of 4.
    const proba = [
      [0.9, 0.1],
      [0.5, 0.5],
      [0.5, 0.5],
      [0.1, 0.9],
    ];
    expect(rocAuc([0, 0, 1, 1], proba)).toBe(0.875);
  });

  it('averages one-vs-rest areas, plainly or weighted by support', () => {
    const yTrue = [0, 0, 0, 1, 2, 2];
    const proba = [
      [0.6, 0.2, 0.2],
      [0.4, 0.4, 0.2],
      [0.2, 0.4, 0.4],
      [0.4, 0.4, 0.2],
      [0.2, 0.2, 0.6],
      [0.4, 0.2, 0.4],
    ];
    // Class 0: 5.5 of 9 pairs; class 1: 4 of 5; class 2: 7.5 of 8 (ties count half).
    const areas = [5.5 / 9, 4 / 5, 7.5 / 8];
    expect(rocAuc(yTrue, proba)).toBeCloseTo((areas[0] + areas[1] + areas[2]) / 3, 15);
    expect(rocAuc(yTrue, proba, { average: 'weighted' })).toBeCloseTo(
      (3 * areas[0] + 1 * areas[1] + 2 * areas[2]) / 6,
      15,
    );
  });
});
