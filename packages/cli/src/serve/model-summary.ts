import type { AnswerKind, DigitPredictor } from './digit-predictor.js';

/** What `GET /api/model` says about the served model. */
export interface ModelSummary {
  /** The model file's name (without its folder). */
  file: string;
  /** The model file's size in bytes. */
  bytes: number;
  /** The registered model type: 'svm', 'forest', 'mlp', 'softmax', ... */
  type: string;
  /** The hyper-parameters, defaults filled in. */
  params: Record<string, unknown>;
  /** The labels the model can answer, in the order of every answer's arrays. */
  classes: (number | string | boolean)[];
  /** The fitted transforms applied before the model, in order (`[]` for none). */
  preprocessing: { transformType: string; params: Record<string, unknown> }[];
  /**
   * What each answer carries besides the label: `'probabilities'`, or `'scores'` (decision
   * scores, not probabilities) for a model without calibrated probabilities.
   */
  answers: AnswerKind;
  /** The test-set accuracy, when the model file records one (`info.testAccuracy`); else null. */
  testAccuracy: number | null;
  /** Everything else the model recorded about its fit (history, counts, warnings, ...). */
  info: Record<string, unknown>;
}

/** The summary of `predictor`'s model, read from the file `file` of `bytes` bytes. */
export function summarizeModel(
  predictor: DigitPredictor,
  file: string,
  bytes: number,
): ModelSummary {
  const { model, preprocessing } = predictor.file;
  const accuracy = model.info.testAccuracy;
  return {
    file,
    bytes,
    type: model.modelType,
    params: model.params,
    classes: model.classes,
    preprocessing: preprocessing.map(({ transformType, params }) => ({ transformType, params })),
    answers: predictor.answers,
    testAccuracy: typeof accuracy === 'number' && accuracy >= 0 && accuracy <= 1 ? accuracy : null,
    info: model.info,
  };
}
