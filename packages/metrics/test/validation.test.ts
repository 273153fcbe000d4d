// Bad input is refused with a typed error that says what was wrong and what was expected.
import { DTypeError, ShapeError, Tensor, TypedlearnError, ValueError } from '@typedlearn/tensor';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  cohenKappa,
  confusionMatrix,
  f1,
  formatConfusionMatrix,
  logLoss,
  precisionRecallFscoreSupport,
  rocAuc,
  topKAccuracy,
} from '../src/index.js';

const labelMetrics = {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  cohenKappa,
  f1: (a: ArrayLike<number>, b: ArrayLike<number>) => f1(a, b),
  precisionRecallFscoreSupport: (a: ArrayLike<number>, b: ArrayLike<number>) =>
    precisionRecallFscoreSupport(a, b),
  classificationReport: (a: ArrayLike<number>, b: ArrayLike<number>) => classificationReport(a, b),
};

describe.each(Object.entries(labelMetrics))('%s refuses bad labels', (_, metric) => {
  it('of different lengths', () => {
    expect(() => metric([0, 1, 1], [0, 1])).toThrow(ShapeError);
    expect(() => metric([0, 1, 1], [0, 1])).toThrow(/yTrue has 3 entries but yPred has 2/);
  });
  it('that are empty', () => {
    expect(() => metric([], [])).toThrow(/yTrue is empty/);
  });
  it('that are not integers', () => {
    expect(() => metric([0, 1.5], [0, 1])).toThrow(ValueError);
    expect(() => metric([0, 1.5], [0, 1])).toThrow(/yTrue\[1\] is 1.5: expected an integer/);
  });
  it('that are NaN', () => {
    expect(() => metric([0, 1], Float64Array.of(0, NaN))).toThrow(/yPred\[1\] is NaN/);
  });
});

describe('explicit labels', () => {
  it('refuse a sample whose label is not among them (out of range)', () => {
    expect(() => confusionMatrix([0, 1, 2], [0, 1, 1], { labels: [0, 1] })).toThrow(ValueError);
    expect(() => confusionMatrix([0, 1, 2], [0, 1, 1], { labels: [0, 1] })).toThrow(
      'yTrue[2] is 2, which is not one of the labels [0, 1]',
    );
    expect(() => f1([0, 1], [0, 9], { labels: [0, 1] })).toThrow(/yPred\[1\] is 9/);
  });
  it('must not repeat a class', () => {
    expect(() => confusionMatrix([0, 1], [0, 1], { labels: [0, 1, 1] })).toThrow(/must not repeat/);
  });
});

describe('options are checked', () => {
  it('average, zeroDivision, normalize, weights, beta, digits, k', () => {
    const y = [0, 1];
    // @ts-expect-error: not an averaging method
    expect(() => f1(y, y, { average: 'binary' })).toThrow(/average must be one of/);
    expect(() => f1(y, y, { zeroDivision: 0.5 })).toThrow(/zeroDivision must be 0, 1 or NaN/);
    // @ts-expect-error: not a normalisation
    expect(() => confusionMatrix(y, y, { normalize: 'rows' })).toThrow(/normalize must be one of/);
    // @ts-expect-error: not a weighting
    expect(() => cohenKappa(y, y, { weights: 'cubic' })).toThrow(/weights must be one of/);
    expect(() => precisionRecallFscoreSupport(y, y, { beta: -1 })).toThrow(/beta must be/);
    expect(() => classificationReport(y, y, { digits: -1 })).toThrow(/digits must be/);
    expect(() =>
      topKAccuracy(
        y,
        [
          [1, 0],
          [0, 1],
        ],
        { k: 0 },
      ),
    ).toThrow(/k must be a positive/);
    expect(() => classificationReport(y, y, { targetNames: ['a'] })).toThrow(ShapeError);
  });
});

describe.each([
  ['logLoss', logLoss],
  ['rocAuc', rocAuc],
])('%s refuses bad probabilities', (_, metric) => {
  const yTrue = [0, 1, 2, 1];
  const good = [
    [0.8, 0.1, 0.1],
    [0.2, 0.7, 0.1],
    [0.1, 0.1, 0.8],
    [0.3, 0.4, 0.3],
  ];
  const withRow = (r: number, row: number[]): number[][] =>
    good.map((original, i) => (i === r ? row : original));

  it('accepts good ones', () => {
    expect(Number.isFinite(metric(yTrue, good))).toBe(true);
  });
  it('negative', () => {
    expect(() => metric(yTrue, withRow(1, [-0.1, 1, 0.1]))).toThrow(ValueError);
    expect(() => metric(yTrue, withRow(1, [-0.1, 1, 0.1]))).toThrow(
      /probabilities\[1\]\[0\] is -0.1: probabilities must lie in \[0, 1\]/,
    );
  });
  it('rows that do not sum to 1', () => {
    expect(() => metric(yTrue, withRow(2, [0.1, 0.1, 0.7]))).toThrow(
      /row 2 of probabilities sums to 0.8999\d*: expected probabilities that sum to 1/,
    );
  });
  it('NaN', () => {
    expect(() => metric(yTrue, withRow(3, [NaN, 0.5, 0.5]))).toThrow(/element 9 is NaN/);
  });
  it('a row count that differs from the label count', () => {
    expect(() => metric([0, 1, 2], good)).toThrow(ShapeError);
    expect(() => metric([0, 1, 2], good)).toThrow(/4 rows but there are 3 labels/);
  });
  it('a flat array that is not a whole number of rows', () => {
    expect(() => metric(yTrue, new Float32Array(10))).toThrow(/not a whole number of rows/);
  });
  it('ragged rows', () => {
    expect(() => metric(yTrue, withRow(1, [0.5, 0.5]))).toThrow(/probabilities\[1\] has 2 entries/);
  });
  it('a label that is not a column index', () => {
    expect(() => metric([0, 1, 3, 1], good)).toThrow(
      'yTrue[2] is 3, but the score matrix has 3 columns: expected a class index in [0, 3)',
    );
    expect(() => metric([0, -1, 2, 1], good)).toThrow(/yTrue\[1\] is -1/);
  });
  it('a tensor that is not a float32 matrix', () => {
    const ints = Tensor.from([1, 0, 0, 1], [2, 2], 'int32');
    expect(() => metric([0, 1], ints as unknown as Tensor)).toThrow(DTypeError);
    expect(() => metric([0, 1], Tensor.from([0.5, 0.5, 0.5, 0.5]))).toThrow(/must be a 2-D tensor/);
  });
});

describe('other refusals', () => {
  it('rocAuc needs positives and negatives of every class', () => {
    expect(() =>
      rocAuc(
        [0, 0, 1],
        [
          [0.5, 0.5, 0],
          [0.5, 0.5, 0],
          [0.5, 0.5, 0],
        ],
      ),
    ).toThrow(/class 2 has no samples in yTrue/);
  });
  it('topKAccuracy takes any finite scores but not NaN', () => {
    expect(topKAccuracy([1], [[-3, 7]], { k: 1 })).toBe(1);
    expect(() => topKAccuracy([1], [[NaN, 7]])).toThrow(/scores must hold finite numbers/);
  });
  it('formatConfusionMatrix needs a square matrix and one name per class', () => {
    expect(() => formatConfusionMatrix([[1, 2]])).toThrow(/must be square/);
    expect(() => formatConfusionMatrix([[1]], { labels: ['a', 'b'] })).toThrow(/2 names/);
  });
  it('every error is a TypedlearnError', () => {
    expect(() => accuracy([0], [0, 1])).toThrow(TypedlearnError);
    expect(() => logLoss([0], [[2, -1]])).toThrow(TypedlearnError);
  });
});
