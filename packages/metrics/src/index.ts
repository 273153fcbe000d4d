export { accuracy } from './accuracy.js';
export { balancedAccuracy, type BalancedAccuracyOptions } from './balanced-accuracy.js';
export {
  confusionMatrix,
  type ConfusionMatrixOptions,
  type ConfusionNormalization,
} from './confusion-matrix.js';
export {
  precisionRecallFscoreSupport,
  precision,
  recall,
  f1,
  type Average,
  type ScoreOptions,
  type PrecisionRecallFscoreOptions,
  type AveragedScoreOptions,
  type PerClassScores,
  type AveragedScores,
} from './precision-recall-fscore.js';
export {
  classificationReport,
  classificationReportData,
  formatClassificationReport,
  type ClassificationReportOptions,
  type ClassificationReportTextOptions,
  type ClassificationReportData,
  type ReportRow,
} from './classification-report.js';
export { cohenKappa, type CohenKappaOptions } from './cohen-kappa.js';
export { logLoss, type LogLossOptions } from './log-loss.js';
export { topKAccuracy, type TopKAccuracyOptions } from './top-k-accuracy.js';
export { rocAuc, type RocAucOptions } from './roc-auc.js';
export {
  formatConfusionMatrix,
  type FormatConfusionMatrixOptions,
} from './format-confusion-matrix.js';
export type { LabelArray } from './labels.js';
export type { ScoreMatrix } from './score-matrix.js';
export { formatFixed } from './format-fixed.js';
export { LabelEncoder, sortedClasses, type Label } from './label-encoder.js';
