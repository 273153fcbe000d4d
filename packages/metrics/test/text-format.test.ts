// Terminal text: scikit-learn's report layout and number rounding, and the confusion matrix table.
import { describe, expect, it } from 'vitest';
import { formatFixed } from '../src/format-fixed.js';
import {
  classificationReport,
  classificationReportData,
  confusionMatrix,
  formatConfusionMatrix,
} from '../src/index.js';

describe('formatFixed rounds as Python prints', () => {
  it.each([
    [0.125, 2, '0.12'],
    [0.375, 2, '0.38'],
    [0.625, 2, '0.62'],
    [-0.125, 2, '-0.12'],
    [1.005, 2, '1.00'], // 1.00499999999999989... is below the half
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [0.71875, 4, '0.7188'],
    [0.7187499999999999, 4, '0.7187'],
    [0.3333333333333333, 4, '0.3333'],
    [1, 2, '1.00'],
    [NaN, 2, 'nan'],
  ])('%d to %i digits is %s', (value, digits, text) => {
    expect(formatFixed(value, digits)).toBe(text);
  });
});

describe('classificationReport', () => {
  // Class 'two' is neither true nor predicted: it shows only because the labels list it, so the
  // micro average is not just the accuracy and gets its own row (as scikit-learn prints it).
  const yTrue = [0, 0, 1];
  const yPred = [0, 1, 1];
  const options = { labels: [0, 1, 2], targetNames: ['zero', 'one', 'two'] };

  it('uses target names, a micro avg row, and 2 digits by default', () => {
    expect(classificationReport(yTrue, yPred, options)).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '        zero       1.00      0.50      0.67         2',
        '         one       0.50      1.00      0.67         1',
        '         two       0.00      0.00      0.00         0',
        '',
        '   micro avg       0.67      0.67      0.67         3',
        '   macro avg       0.50      0.50      0.44         3',
        'weighted avg       0.83      0.67      0.67         3',
        '',
      ].join('\n'),
    );
  });

  it('widens the name column for long names and prints nan for undefined scores', () => {
    const text = classificationReport([0, 1], [0, 0], {
      targetNames: ['a rather long class name', 'b'],
      zeroDivision: NaN,
      digits: 1,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${' '.repeat(24)}  precision    recall  f1-score   support`);
    expect(lines[2]).toBe('a rather long class name        0.5       1.0       0.7         1');
    expect(lines[3]).toBe('                       b        nan       0.0       0.0         1');
    expect(lines[5]).toBe('                accuracy                            0.5         2');
  });

  it('as data: micro avg instead of accuracy when labels add an absent class', () => {
    const data = classificationReportData(yTrue, yPred, options);
    expect(data.accuracy).toBeUndefined();
    expect(data.microAvg?.f1).toBeCloseTo(2 / 3, 15);
    expect(data.classes.map((row) => row.name)).toEqual(['zero', 'one', 'two']);
    expect(data.macroAvg.f1).toBeCloseTo(4 / 9, 15);
    expect(data.weightedAvg.precision).toBeCloseTo(5 / 6, 15);
    // Labels that are exactly the observed ones keep the accuracy row.
    expect(classificationReportData(yTrue, yPred, { labels: [1, 0] }).accuracy).toBeCloseTo(
      2 / 3,
      15,
    );
  });
});

describe('formatConfusionMatrix', () => {
  it('aligns counts under their predicted class', () => {
    const matrix = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0]);
    expect(formatConfusionMatrix(matrix)).toBe(
      [
        'true\\pred  0  1  2',
        '        0  1  1  0',
        '        1  0  1  0',
        '        2  1  0  2',
        '',
      ].join('\n'),
    );
  });

  it('widens columns for long names and prints fractions with digits', () => {
    const matrix = confusionMatrix([0, 0, 1], [0, 1, 1], { normalize: 'true' });
    expect(formatConfusionMatrix(matrix, { labels: ['cat', 'mouse'], digits: 3 })).toBe(
      ['true\\pred    cat  mouse', '      cat  0.500  0.500', '    mouse  0.000  1.000', ''].join(
        '\n',
      ),
    );
  });
});
