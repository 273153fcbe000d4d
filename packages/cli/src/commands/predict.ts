import { classifierOf, integerLabels, type SavedModel } from '@typedlearn/classifiers';
import { loadModel } from '@typedlearn/classifiers/node';
import { Pipeline, prepareDigitImage, type RasterImage } from '@typedlearn/data';
import { readImageFile } from '@typedlearn/io/node';
import { Tensor, TypedlearnError } from '@typedlearn/tensor';

/** The options of `typedlearn predict`, as parsed. */
export interface PredictOptions {
  model: string;
  json?: boolean;
}

/** One image's answer: the digit and the probability of every digit 0..9 (index = digit). */
interface Prediction {
  file: string;
  digit: number;
  probabilities: number[];
}

/** `typedlearn predict`: the digit in each image file. */
export async function predict(files: string[], options: PredictOptions): Promise<void> {
  const model = await loadModel(options.model);
  const rows: Float32Array[] = [];
  for (const file of files) rows.push(prepareImage(file, await readImageFile(file)));
  const X = stack(rows);
  const digits = integerLabels(model.predict(X), `the predictions of ${options.model}`);
  const classes = Array.from(
    integerLabels(classifierOf(model).classes, `the classes of ${options.model}`),
  );
  const proba = probabilities(model, X);

  const predictions: Prediction[] = files.map((file, i) => {
    // Indexed by digit, so a model that never saw some digit still gives 10 numbers; a model
    // without probabilities gives 1 for its answer.
    const byDigit = new Array<number>(Math.max(10, Math.max(...classes) + 1)).fill(0);
    if (proba === undefined) byDigit[digits[i]] = 1;
    else classes.forEach((label, k) => (byDigit[label] = proba.get(i, k)));
    return { file, digit: digits[i], probabilities: byDigit };
  });

  if (options.json) {
    process.stdout.write(`${JSON.stringify(predictions)}\n`);
    return;
  }
  for (const { file, digit, probabilities: byDigit } of predictions) {
    if (proba === undefined) {
      process.stdout.write(`${file}: ${digit}  (this model gives no probabilities)\n`);
      continue;
    }
    const top3 = byDigit
      .map((p, label) => ({ p, label }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 3)
      .map(({ p, label }) => `${label} ${(100 * p).toFixed(1)}%`)
      .join(', ');
    process.stdout.write(`${file}: ${digit}  (top 3: ${top3})\n`);
  }
}

/**
 * The model's class probabilities for the rows of `X`, or undefined for a model without them
 * (an SVC fitted with `probability: false` has the method but refuses to use it).
 */
function probabilities(model: SavedModel, X: Tensor): Tensor | undefined {
  const classifier = classifierOf(model);
  if (classifier.predictProba === undefined || classifier.params.probability === false) {
    return undefined;
  }
  return model instanceof Pipeline ? model.predictProba(X) : classifier.predictProba(X);
}

/** The image as MNIST-like features; a refusal (a blank image, say) names the file. */
function prepareImage(file: string, image: RasterImage): Float32Array {
  try {
    return prepareDigitImage(image);
  } catch (error) {
    if (error instanceof TypedlearnError) {
      throw new TypedlearnError(`${file}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The prepared images as the rows of one matrix [images, features]. */
function stack(rows: Float32Array[]): Tensor {
  const cols = rows[0].length;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((row, i) => data.set(row, i * cols));
  return new Tensor(data, [rows.length, cols]);
}
