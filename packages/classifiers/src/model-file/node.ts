import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Pipeline } from '@typedlearn/data';
import { FormatError, TypedlearnError } from '@typedlearn/tensor';
import type { Classifier } from '../classifier.js';
import { decodeModel, encodeModel } from './model-format.js';
import { modelFile, modelFromFile, type SavedModel } from './saved-model.js';

/**
 * Saves a fitted classifier, or a Pipeline ending in one, as a safetensors model file at
 * `path`. The bytes go to a temporary file in the same directory, are flushed to disk and
 * only then renamed over `path`, so a failure (full disk, crash) never leaves a half-written
 * model: `path` holds either the old file or the complete new one. Missing parent folders are
 * created. A failure is a {@link TypedlearnError} naming `path` and the reason. Node only.
 *
 * `options.info` adds facts to the file's model info, next to the fit's own (the CLI records
 * `testAccuracy` there, which `typedlearn serve` reports).
 */
export async function saveModel(
  model: SavedModel,
  path: string,
  options: { info?: Record<string, unknown> } = {},
): Promise<void> {
  const { model: state, preprocessing } = modelFile(model);
  const bytes = encodeModel({ ...state, info: { ...state.info, ...options.info } }, preprocessing);
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // Best effort: the error worth reporting is the one that stopped the save.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new TypedlearnError(`cannot save model ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Loads a model file written by {@link saveModel}: the classifier, or a Pipeline when the
 * file holds preprocessing. Everything is validated before use; a missing, truncated,
 * corrupt or unknown file is a {@link FormatError} naming `path` and the problem. Node only.
 *
 * Given the class it expects (`loadModel(path, SVC)`), it resolves to that type, and a file
 * holding anything else (another classifier, a Pipeline) is a {@link FormatError} saying what
 * it holds.
 */
export async function loadModel(path: string): Promise<SavedModel>;
export async function loadModel<C extends Classifier>(
  path: string,
  expected: abstract new (...args: never[]) => C,
): Promise<C>;
export async function loadModel(
  path: string,
  expected?: abstract new (...args: never[]) => Classifier,
): Promise<SavedModel> {
  const bytes = await readModelFile(path);
  const model = modelFromFile(decodeModel(bytes, path), path);
  if (expected !== undefined && !(model instanceof expected)) {
    const holds =
      model instanceof Pipeline
        ? `a Pipeline ending in ${model.estimator.constructor.name} (load it without a class to get the Pipeline)`
        : `a ${(model as Classifier).constructor.name}`;
    throw new FormatError(`${path} holds ${holds}, expected a ${expected.name}`);
  }
  return model;
}

/**
 * The bytes of the model file at `path`, not yet decoded (for code that also passes them on,
 * as `typedlearn serve` sends them to the browser). A missing file or a directory is a
 * {@link FormatError} naming `path`. Node only.
 */
export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory, not a model file'
          : (error as Error).message;
    throw new FormatError(`cannot load model ${path}: ${reason}`, { cause: error });
  }
}
