// The metrics on labels that are not integers: strings and booleans, sorted as scikit-learn sorts them.
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  confusionMatrix,
  precisionRecallFscoreSupport,
} from '@typedlearn/metrics';

describe('string and boolean labels', () => {
  const yTrue = ['cat', 'dog', 'dog', 'bird', 'cat', 'dog'];
  const yPred = ['cat', 'dog', 'cat', 'bird', 'cat', 'bird'];

  it('counts like integer labels, with classes sorted', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 15);
    // classes bird, cat, dog; recalls 1, 1, 1/3
    expect(balancedAccuracy(yTrue, yPred)).toBeCloseTo((1 + 1 + 1 / 3) / 3, 15);
    expect(confusionMatrix(yTrue, yPred)).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [1, 1, 1],
    ]);
    const scores = precisionRecallFscoreSupport(yTrue, yPred, { average: null });
    expect(scores.labels).toEqual(['bird', 'cat', 'dog']);
    expect(scores.support).toEqual([1, 2, 3]);
    expect(confusionMatrix([true, false, true], [true, true, true])).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it('names the classes in the report', () => {
    const report = classificationReport(yTrue, yPred);
    for (const name of ['bird', 'cat', 'dog'])
      expect(report).toMatch(new RegExp(`^ +${name} `, 'm'));
  });

  it('refuses labels of two types and fractional numbers', () => {
    expect(() => accuracy(['1', '2'], [1, 2] as never)).toThrow(/labels of one type/);
    expect(() => accuracy([0.5, 1], [0.5, 1])).toThrow(/0.5: expected an integer class label/);
  });
});
