import { ShapeError, ValueError } from '@typedlearn/tensor';
import { formatFixed } from './format-fixed.js';
import { encodeLabelPair, sortedUnion, type LabelArray } from './labels.js';
import { precisionRecallFscoreSupport, type Average } from './precision-recall-fscore.js';

/** Options of {@link classificationReport} and {@link classificationReportData}. */
export interface ClassificationReportOptions {
  /**
   * The classes to report, in order. Default: the sorted union of the labels in `yTrue` and
   * `yPred`. Every label must be one of them.
   */
  labels?: LabelArray;
  /** A display name per class, in the order of `labels`. Default: the labels as text. */
  targetNames?: readonly string[];
  /** Value of an undefined ratio: 0, 1 or NaN, as in {@link precisionRecallFscoreSupport}. Default 0. */
  zeroDivision?: number;
}

/** Options of {@link classificationReport}. */
export interface ClassificationReportTextOptions extends ClassificationReportOptions {
  /** Decimals of the scores. Default 2, as scikit-learn. */
  digits?: number;
}

/** One line of a classification report. */
export interface ReportRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * A classification report as data, with the content of scikit-learn's
 * `classification_report(..., output_dict=True)`.
 */
export interface ClassificationReportData {
  /** One row per class, in the order of the labels, each with its display name. */
  classes: (ReportRow & { name: string })[];
  /**
   * The accuracy, when it is the micro average: the labels were not given, or are exactly
   * the labels that occur. Otherwise `microAvg` is set instead.
   */
  accuracy?: number;
  /** Micro-averaged scores, when they are not simply the accuracy (see `accuracy`). */
  microAvg?: ReportRow;
  /** Unweighted mean over classes. */
  macroAvg: ReportRow;
  /** Mean over classes weighted by support. */
  weightedAvg: ReportRow;
}

/** Precision, recall, F1 and support per class and averaged, as data (see {@link classificationReport}). */
export function classificationReportData(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: ClassificationReportOptions = {},
): ClassificationReportData {
  const { labels, zeroDivision } = options;
  const encoded = encodeLabelPair(yTrue, yPred, labels);
  const names = options.targetNames ?? encoded.classes.map(String);
  if (names.length !== encoded.classes.length) {
    throw new ShapeError(
      `targetNames has ${names.length} names for ${encoded.classes.length} classes ` +
        `[${encoded.classes.join(', ')}]: expected one name per class`,
    );
  }
  const perClass = precisionRecallFscoreSupport(yTrue, yPred, { labels, zeroDivision });
  const total = perClass.support.reduce((sum, count) => sum + count, 0);
  const averaged = (average: Average): ReportRow => {
    const scores = precisionRecallFscoreSupport(yTrue, yPred, { labels, zeroDivision, average });
    return {
      precision: scores.precision,
      recall: scores.recall,
      f1: scores.fScore,
      support: total,
    };
  };

  const observed = sortedUnion(yTrue, yPred);
  const microIsAccuracy =
    !encoded.classesGiven ||
    (observed.length === encoded.classes.length &&
      observed.every((label) => encoded.classes.includes(label)));
  const micro = averaged('micro');
  return {
    classes: names.map((name, c) => ({
      name,
      precision: perClass.precision[c],
      recall: perClass.recall[c],
      f1: perClass.fScore[c],
      support: perClass.support[c],
    })),
    ...(microIsAccuracy ? { accuracy: micro.f1 } : { microAvg: micro }),
    macroAvg: averaged('macro'),
    weightedAvg: averaged('weighted'),
  };
}

/**
 * The classification report as the text scikit-learn's `classification_report` prints,
 * character for character: a row per class, then the accuracy (or micro average), macro and
 * weighted averages.
 *
 * ```text
 *               precision    recall  f1-score   support
 *
 *            0       0.82      0.90      0.86        20
 *   ...
 *     accuracy                           0.78        50
 *    macro avg       0.77      0.77      0.77        50
 * weighted avg       0.78      0.78      0.78        50
 * ```
 */
export function classificationReport(
  yTrue: LabelArray,
  yPred: LabelArray,
  options: ClassificationReportTextOptions = {},
): string {
  return formatClassificationReport(classificationReportData(yTrue, yPred, options), options);
}

/** Formats {@link ClassificationReportData} as scikit-learn's report text (`digits` default 2). */
export function formatClassificationReport(
  report: ClassificationReportData,
  options: { digits?: number } = {},
): string {
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new ValueError(`digits must be an integer in [0, 20], got ${String(digits)}`);
  }
  const headers = ['precision', 'recall', 'f1-score', 'support'];
  const longestHeading = 'weighted avg';
  const width = Math.max(
    ...report.classes.map((row) => row.name.length),
    longestHeading.length,
    digits,
  );
  const column = (text: string): string => ` ${text.padStart(9)}`;
  const score = (value: number): string => column(formatFixed(value, digits));
  const line = (heading: string, row: ReportRow): string =>
    `${heading.padStart(width)} ${score(row.precision)}${score(row.recall)}${score(row.f1)}` +
    `${column(String(row.support))}\n`;

  let text = `${''.padStart(width)} ${headers.map(column).join('')}\n\n`;
  for (const row of report.classes) text += line(row.name, row);
  text += '\n';
  const total = report.macroAvg.support;
  if (report.accuracy !== undefined) {
    text +=
      `${'accuracy'.padStart(width)} ${column('')}${column('')}${score(report.accuracy)}` +
      `${column(String(total))}\n`;
  } else if (report.microAvg !== undefined) {
    text += line('micro avg', report.microAvg);
  }
  text += line('macro avg', report.macroAvg);
  text += line(longestHeading, report.weightedAvg);
  return text;
}
