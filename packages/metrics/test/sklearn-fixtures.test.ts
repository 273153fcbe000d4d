// Every field of every case in test/fixtures/metrics.json (scikit-learn 1.2.1's outputs,
// zero_division=0), recomputed by the library. The last case has a class that is never predicted.
import { readFileSync } from 'node:fs';
import { Tensor } from '@typedlearn/tensor';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  classificationReport,
  classificationReportData,
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

interface ScoreDict {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

interface MetricsCase {
  y_true: number[];
  y_pred: number[];
  proba: number[][];
  n_classes: number;
  accuracy: number;
  balanced_accuracy: number;
  confusion_matrix: number[][];
  confusion_matrix_normalized_true: number[][];
  cohen_kappa: number;
  log_loss: number;
  top_2_accuracy: number;
  roc_auc_ovr_macro: number;
  classification_report_text: string;
  classification_report: Record<string, ScoreDict | number>;
  precision_micro: number;
  recall_micro: number;
  f1_micro: number;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  precision_weighted: number;
  recall_weighted: number;
  f1_weighted: number;
  per_class: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/metrics.json', import.meta.url), 'utf8'),
) as { cases: MetricsCase[] };

/** The same float within rounding of a few operations. */
const close = (actual: number, expected: number): void => {
  expect(actual).toBeCloseTo(expected, 12);
};
const allClose = (actual: readonly number[], expected: readonly number[]): void => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => close(value, expected[i]));
};

/** The fixture's float64 probabilities as a flat row-major Float64Array. */
const flatProbabilities = (rows: number[][]): Float64Array => Float64Array.from(rows.flat());

describe.each(fixture.cases.map((c, index) => [index, c] as const))(
  'scikit-learn case %i',
  (_, c) => {
    const yTrue = Int32Array.from(c.y_true);
    const yPred = c.y_pred;

    it('accuracy and balanced accuracy', () => {
      close(accuracy(yTrue, yPred), c.accuracy);
      close(balancedAccuracy(yTrue, yPred), c.balanced_accuracy);
    });

    it('confusion matrix, as counts and normalised over true labels', () => {
      expect(confusionMatrix(yTrue, yPred)).toEqual(c.confusion_matrix);
      const normalized = confusionMatrix(yTrue, yPred, { normalize: 'true' });
      normalized.forEach((row, i) => allClose(row, c.confusion_matrix_normalized_true[i]));
    });

    it('per-class precision, recall, F1 and support', () => {
      const scores = precisionRecallFscoreSupport(yTrue, yPred);
      expect(scores.labels).toEqual(Array.from({ length: c.n_classes }, (_, i) => i));
      allClose(scores.precision, c.per_class.precision);
      allClose(scores.recall, c.per_class.recall);
      allClose(scores.fScore, c.per_class.f1);
      expect(scores.support).toEqual(c.per_class.support);
    });

    it.each(['micro', 'macro', 'weighted'] as const)('%s averages', (average) => {
      close(precision(yTrue, yPred, { average }), c[`precision_${average}`]);
      close(recall(yTrue, yPred, { average }), c[`recall_${average}`]);
      close(f1(yTrue, yPred, { average }), c[`f1_${average}`]);
    });

    it("Cohen's kappa", () => {
      close(cohenKappa(yTrue, yPred), c.cohen_kappa);
    });

    it('log loss, top-2 accuracy and one-vs-rest ROC AUC from float64 probabilities', () => {
      const proba = flatProbabilities(c.proba);
      close(logLoss(yTrue, proba), c.log_loss);
      close(topKAccuracy(yTrue, proba, { k: 2 }), c.top_2_accuracy);
      close(rocAuc(yTrue, proba), c.roc_auc_ovr_macro);
      // Nested rows are the same float64 matrix.
      close(rocAuc(yTrue, c.proba), c.roc_auc_ovr_macro);
    });

    it('the same probabilities as a float32 Tensor agree to float32 rounding', () => {
      const tensor = Tensor.from(c.proba.flat(), [c.proba.length, c.n_classes]);
      expect(logLoss(yTrue, tensor)).toBeCloseTo(c.log_loss, 6);
      expect(topKAccuracy(yTrue, tensor)).toBe(c.top_2_accuracy);
      expect(rocAuc(yTrue, tensor)).toBeCloseTo(c.roc_auc_ovr_macro, 6);
    });

    it('classification report text, character for character', () => {
      expect(classificationReport(yTrue, yPred, { digits: 4 })).toBe(c.classification_report_text);
    });

    it('classification report data matches output_dict=True', () => {
      const report = classificationReportData(yTrue, yPred);
      const expected = c.classification_report;
      expect(report.classes.map((row) => row.name)).toEqual(
        Array.from({ length: c.n_classes }, (_, i) => String(i)),
      );
      for (const row of report.classes) {
        const want = expected[row.name] as ScoreDict;
        close(row.precision, want.precision);
        close(row.recall, want.recall);
        close(row.f1, want['f1-score']);
        expect(row.support).toBe(want.support);
      }
      close(report.accuracy!, expected.accuracy as number);
      expect(report.microAvg).toBeUndefined();
      for (const [row, key] of [
        [report.macroAvg, 'macro avg'],
        [report.weightedAvg, 'weighted avg'],
      ] as const) {
        const want = expected[key] as ScoreDict;
        close(row.precision, want.precision);
        close(row.recall, want.recall);
        close(row.f1, want['f1-score']);
        expect(row.support).toBe(want.support);
      }
      // Nothing in scikit-learn's dictionary is left out.
      expect(Object.keys(expected)).toHaveLength(c.n_classes + 3);
    });
  },
);

describe('the never-predicted class (case 3, class 4)', () => {
  const c = fixture.cases[3];
  it('is really absent from the predictions', () => {
    expect(c.y_pred).not.toContain(4);
    expect(c.y_true).toContain(4);
  });
  it('has precision 0 under zeroDivision 0, 1 under 1 and NaN under NaN', () => {
    expect(precision(c.y_true, c.y_pred, { average: null })[4]).toBe(0);
    expect(precision(c.y_true, c.y_pred, { average: null, zeroDivision: 1 })[4]).toBe(1);
    expect(precision(c.y_true, c.y_pred, { average: null, zeroDivision: NaN })[4]).toBeNaN();
    // Its recall and F1 are defined (8 true samples, none found): 0 whatever zeroDivision says.
    expect(recall(c.y_true, c.y_pred, { average: null, zeroDivision: 1 })[4]).toBe(0);
    expect(f1(c.y_true, c.y_pred, { average: null, zeroDivision: 1 })[4]).toBe(0);
  });
  it('enters the macro precision as its zeroDivision value, or is left out when NaN', () => {
    const perClass = c.per_class.precision.slice(0, 4);
    const meanOfOthers = perClass.reduce((a, b) => a + b, 0) / 4;
    close(precision(c.y_true, c.y_pred, { zeroDivision: 1 }), (meanOfOthers * 4 + 1) / 5);
    close(precision(c.y_true, c.y_pred, { zeroDivision: NaN }), meanOfOthers);
  });
});
