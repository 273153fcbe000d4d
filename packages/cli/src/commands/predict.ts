import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readModelFile } from '@typedlearn/classifiers/node';
import { prepareDigitImage } from '@typedlearn/data';
import { readImageFile } from '@typedlearn/io/node';
import { TypedlearnError } from '@typedlearn/tensor';
import { DigitPredictor, type ImagePrediction } from '../serve/digit-predictor.js';

/** `--invert`: whether to invert the grey levels before preparing (see `prepareDigitImage`). */
export type InvertChoice = 'auto' | 'yes' | 'no';

/** The options of `typedlearn predict`, as parsed. */
export interface PredictOptions {
  model: string;
  json?: boolean;
  invert: InvertChoice;
}

/** One file's outcome: the model's answer, or why the file could not be read. */
type FileResult = ({ file: string } & ImagePrediction) | { file: string; error: string };

/** Images prepared and answered together, so that a folder of thousands stays in bounded memory. */
const BATCH = 512;

const INVERT: Record<InvertChoice, 'auto' | boolean> = { auto: 'auto', yes: true, no: false };

/**
 * `typedlearn predict`: the label of each image file, and of each file inside each folder
 * given (sorted by name, not recursing). Every file gets its answer or its own error, in the
 * order given; when any failed, the command fails after all have been answered.
 */
export async function predict(paths: string[], options: PredictOptions): Promise<void> {
  const predictor = DigitPredictor.fromBytes(await readModelFile(options.model), options.model);
  const files = await expandFolders(paths);
  const print = options.json ? undefined : printer(predictor);
  const results: FileResult[] = [];
  let failed = 0;
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = await answer(
      predictor,
      files.slice(start, start + BATCH),
      INVERT[options.invert],
    );
    failed += batch.filter((result) => 'error' in result).length;
    if (print === undefined) results.push(...batch);
    else batch.forEach(print);
  }
  if (options.json) {
    const { classes, answers } = predictor;
    process.stdout.write(
      `${JSON.stringify({ model: options.model, classes, answers, predictions: results })}\n`,
    );
  }
  if (failed > 0) {
    throw new TypedlearnError(`${failed} of ${files.length} files could not be read as images`);
  }
}

/** The files to read: each path given, a folder replaced by the files in it, sorted by name. */
async function expandFolders(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const isFolder = await stat(path).then(
      (info) => info.isDirectory(),
      () => false, // a missing path is reported as that file's error
    );
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const entries = await readdir(path, { withFileTypes: true });
    const names = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    if (names.length === 0) {
      throw new TypedlearnError(`the folder ${path} holds no files to read`);
    }
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

/** Reads and prepares each file, then answers all the readable ones with one prediction. */
async function answer(
  predictor: DigitPredictor,
  files: string[],
  invert: 'auto' | boolean,
): Promise<FileResult[]> {
  const prepared: (Float32Array | Error)[] = [];
  for (const file of files) {
    try {
      prepared.push(prepareDigitImage(await readImageFile(file), { invert }));
    } catch (error) {
      if (!(error instanceof TypedlearnError)) throw error;
      prepared.push(error);
    }
  }
  const images = prepared.filter((item): item is Float32Array => !(item instanceof Error));
  const answers = images.length > 0 ? predictor.predict(images) : [];
  let next = 0;
  return files.map((file, i) => {
    const item = prepared[i];
    // readImageFile's errors already name the file; prepareDigitImage's do not.
    if (item instanceof Error) {
      return {
        file,
        error: item.message.includes(file) ? item.message : `${file}: ${item.message}`,
      };
    }
    return { file, ...answers[next++] };
  });
}

/** A function printing one result a line: the answer and its top 3, or the file's error. */
function printer(predictor: DigitPredictor): (result: FileResult) => void {
  return (result) => {
    if ('error' in result) {
      process.stderr.write(`error: ${result.error}\n`);
      return;
    }
    const values = result.probabilities ?? result.scores;
    if (values === null) {
      process.stdout.write(`${result.file}: ${String(result.label)}\n`);
      return;
    }
    const top3 = values
      .map((value, k) => ({ value, label: predictor.classes[k] }))
      .sort((a, b) => b.value - a.value)
      .slice(0, 3)
      .map(({ value, label }) =>
        result.probabilities !== null
          ? `${String(label)} ${(100 * value).toFixed(1)}%`
          : `${String(label)} ${value.toFixed(2)}`,
      )
      .join(', ');
    const kind = result.probabilities !== null ? 'top 3' : 'top 3 scores, not probabilities';
    process.stdout.write(`${result.file}: ${String(result.label)}  (${kind}: ${top3})\n`);
  };
}
