// Browser-safe: the server and the drawing page both predict through this module, so it may
// import only the library's pure entry points (no Node APIs).
import {
  classifierOf,
  decodeModel,
  integerLabels,
  type ModelFile,
  modelFromFile,
  type SavedModel,
} from '@typedlearn/classifiers';
import { Pipeline } from '@typedlearn/data';
import { FormatError, ShapeError, Tensor } from '@typedlearn/tensor';

/** Side of an MNIST image: models served here take 28 x 28 = 784 pixels in [0, 1]. */
export const DIGIT_SIDE = 28;
/** Features of one digit image, as `prepareDigitImage` makes them. */
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
/** The answers a digit model can give: 0..9. */
export const DIGITS = 10;

/** One image's answer. */
export interface DigitPrediction {
  /** The model's answer (its `predict`). */
  digit: number;
  /**
   * The probability of each digit, indexed by digit (always 10 numbers; a digit the model
   * never saw has 0). A model without probabilities gives 1 for its answer and 0 elsewhere.
   */
  probabilities: number[];
}

/**
 * A digit model, restored from the bytes of a model file, that answers for prepared images
 * (784 floats in [0, 1], as `prepareDigitImage` returns). The same class serves HTTP requests
 * in Node and drawings in the browser.
 */
export class DigitPredictor {
  /** The decoded model file: type, hyper-parameters, classes, info, preprocessing. */
  readonly file: ModelFile;
  /** The working model: a classifier, or a Pipeline ending in one. */
  readonly model: SavedModel;
  /** False for a model without `predictProba` (an SVC fitted with `probability: false`). */
  readonly hasProbabilities: boolean;

  private constructor(file: ModelFile, model: SavedModel) {
    this.file = file;
    this.model = model;
    const classifier = classifierOf(model);
    this.hasProbabilities =
      classifier.predictProba !== undefined && classifier.params.probability !== false;
  }

  /**
   * Decodes and restores a model file (`source` names it in errors). Refuses, with a
   * {@link FormatError}, a file that is not a typedlearn model, a model that does not take
   * 28 x 28 images, and one whose classes are not digits 0..9.
   */
  static fromBytes(bytes: Uint8Array, source = 'model bytes'): DigitPredictor {
    const file = decodeModel(bytes, source);
    const inputFeatures = file.preprocessing[0]?.nFeatures ?? file.model.nFeatures;
    if (inputFeatures !== DIGIT_PIXELS) {
      throw new FormatError(
        `${source} takes ${inputFeatures} features per image; a digit model takes ` +
          `${DIGIT_SIDE} x ${DIGIT_SIDE} = ${DIGIT_PIXELS} pixels`,
      );
    }
    const { classes } = file.model;
    if (!classes.every((label) => typeof label === 'number' && label >= 0 && label < DIGITS)) {
      throw new FormatError(
        `${source} has classes ${JSON.stringify(file.model.classes)}; a digit model's classes are among 0..9`,
      );
    }
    return new DigitPredictor(file, modelFromFile(file, source));
  }

  /**
   * The answer for each prepared image (each {@link DIGIT_PIXELS} floats in [0, 1]), in
   * order; an image of another length is a {@link ShapeError}.
   */
  predict(images: readonly Float32Array[]): DigitPrediction[] {
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
    const digits = integerLabels(this.model.predict(X));
    const proba = this.hasProbabilities ? this.predictProba(X) : undefined;
    // A digit model's classes are numbers among 0..9 (checked when it was loaded).
    const classes = this.file.model.classes as number[];
    return Array.from(digits, (digit, i) => {
      const probabilities = new Array<number>(DIGITS).fill(0);
      if (proba === undefined) probabilities[digit] = 1;
      else classes.forEach((label, k) => (probabilities[label] = proba.get(i, k)));
      return { digit, probabilities };
    });
  }

  private predictProba(X: Tensor): Tensor {
    const { model } = this;
    return model instanceof Pipeline ? model.predictProba(X) : model.predictProba!(X);
  }
}
