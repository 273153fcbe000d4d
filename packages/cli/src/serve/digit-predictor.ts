// Browser-safe: the CLI's predict, the server and the drawing page all predict through this
// module, so it may import only the library's pure entry points (no Node APIs).
import {
  classifierOf,
  decodeModel,
  type ModelFile,
  modelFromFile,
  ovrDecisionScores,
  type SavedModel,
} from '@typedlearn/classifiers';
import { Pipeline } from '@typedlearn/data';
import type { Label } from '@typedlearn/metrics';
import { argmaxRows, FormatError, ShapeError, Tensor } from '@typedlearn/tensor';

/** Side of an MNIST image: models served here take 28 x 28 = 784 pixels in [0, 1]. */
export const DIGIT_SIDE = 28;
/** Features of one digit image, as `prepareDigitImage` makes them. */
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;

/**
 * What a model's answers carry besides the label: calibrated `'probabilities'` (softmax, MLP,
 * forest, an SVC fitted with `probability: true`); or, for an SVC without them, one decision
 * `'scores'` per class (votes plus confidence, see `ovrDecisionScores`), which are not
 * probabilities and do not sum to 1; or nothing (`'labels'`) for a model with neither.
 */
export type AnswerKind = 'probabilities' | 'scores' | 'labels';

/** One image's answer; both arrays are in the order of the model's `classes`. */
export interface ImagePrediction {
  /** The model's answer (its `predict`): one of its classes. */
  label: Label;
  /** Each class's probability, or null for a model without calibrated probabilities. */
  probabilities: number[] | null;
  /** Each class's decision score where the model has no probabilities; otherwise null. */
  scores: number[] | null;
}

/**
 * A model of 28 x 28 images, restored from the bytes of a model file, that answers for
 * prepared images (784 floats in [0, 1], as `prepareDigitImage` returns). Its classes may be
 * any labels: digits, letters, names. The same class serves `typedlearn predict`, HTTP
 * requests in Node and drawings in the browser.
 */
export class DigitPredictor {
  /** The decoded model file: type, hyper-parameters, classes, info, preprocessing. */
  readonly file: ModelFile;
  /** The working model: a classifier, or a Pipeline ending in one. */
  readonly model: SavedModel;
  /** The labels the model can answer, in the order of every answer's arrays. */
  readonly classes: readonly Label[];
  /** What the answers carry besides the label. */
  readonly answers: AnswerKind;
  /** Whether the model has decision values (the SVC), by which it predicts. */
  private readonly hasDecisionValues: boolean;

  private constructor(file: ModelFile, model: SavedModel) {
    this.file = file;
    this.model = model;
    this.classes = file.model.classes;
    const classifier = classifierOf(model);
    this.hasDecisionValues = classifier.decisionFunction !== undefined;
    this.answers =
      classifier.predictProba !== undefined && classifier.params.probability !== false
        ? 'probabilities'
        : this.hasDecisionValues
          ? 'scores'
          : 'labels';
  }

  /** True when the answers carry calibrated probabilities. */
  get hasProbabilities(): boolean {
    return this.answers === 'probabilities';
  }

  /**
   * Decodes and restores a model file (`source` names it in errors). Refuses, with a
   * {@link FormatError}, a file that is not a typedlearn model and a model that does not take
   * 28 x 28 images.
   */
  static fromBytes(bytes: Uint8Array, source = 'model bytes'): DigitPredictor {
    const file = decodeModel(bytes, source);
    const inputFeatures = file.preprocessing[0]?.nFeatures ?? file.model.nFeatures;
    if (inputFeatures !== DIGIT_PIXELS) {
      throw new FormatError(
        `${source} takes ${inputFeatures} features per image; an image model here takes ` +
          `${DIGIT_SIDE} x ${DIGIT_SIDE} = ${DIGIT_PIXELS} pixels`,
      );
    }
    return new DigitPredictor(file, modelFromFile(file, source));
  }

  /**
   * The answer for each prepared image (each {@link DIGIT_PIXELS} floats in [0, 1]), in
   * order; an image of another length is a {@link ShapeError}.
   */
  predict(images: readonly Float32Array[]): ImagePrediction[] {
    const X = new Tensor(new Float32Array(images.length * DIGIT_PIXELS), [
      images.length,
      DIGIT_PIXELS,
    ]);
    images.forEach((pixels, i) => {
      if (pixels.length !== DIGIT_PIXELS) {
        throw new ShapeError(`image ${i} has ${pixels.length} pixels, expected ${DIGIT_PIXELS}`);
      }
      X.data.set(pixels, i * DIGIT_PIXELS);
    });
    const { answers, classes } = this;
    const k = classes.length;
    const perClass =
      answers === 'probabilities'
        ? this.probabilities(X).contiguousData()
        : answers === 'scores'
          ? this.scores(X).contiguousData()
          : undefined;
    // One pass where it gives both: a model without decision values (all but the SVC) predicts
    // its most probable class, so the label is the argmax of the probabilities; the SVC votes,
    // which can differ, so it is asked.
    const labels =
      answers === 'probabilities' && !this.hasDecisionValues
        ? Array.from(
            argmaxRows(perClass!, images.length, k, new Int32Array(images.length)),
            (c) => classes[c],
          )
        : Array.from(this.model.predict(X));
    return labels.map((label, i) => {
      const row = perClass && Array.from(perClass.subarray(i * k, (i + 1) * k));
      return {
        label,
        probabilities: answers === 'probabilities' ? row! : null,
        scores: answers === 'scores' ? row! : null,
      };
    });
  }

  private probabilities(X: Tensor): Tensor {
    const { model } = this;
    return model instanceof Pipeline ? model.predictProba(X) : model.predictProba!(X);
  }

  private scores(X: Tensor): Tensor {
    const { model } = this;
    const decision =
      model instanceof Pipeline ? model.decisionFunction(X) : model.decisionFunction!(X);
    return ovrDecisionScores(decision, this.classes.length);
  }
}
