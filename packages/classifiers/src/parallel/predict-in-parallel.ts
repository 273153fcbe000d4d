import {
  defineTask,
  sharedCopy,
  Tensor,
  toFloat32Matrix,
  type MatrixInput,
  type WorkerPool,
} from '@typedlearn/tensor';
import type { Labels } from '../input.js';
import { encodeModel } from '../model-file/model-format.js';
import { modelFile, type SavedModel } from '../model-file/saved-model.js';
import type { PredictRowsInput } from './predict-rows-task.js';

/** The task each thread runs; name it in `pool.start([PREDICT_ROWS])` to load it early. */
export const PREDICT_ROWS = defineTask(
  new URL('./predict-rows-task.js', import.meta.url),
  'predictRowsTask',
);

/** Rows predicted on the calling thread to time the model. */
const PROBE_ROWS = 500;

/** Options of {@link predictInParallel}. */
export interface PredictInParallelOptions {
  /**
   * The rows after the first ones go to the threads only when they would take longer than this
   * on the calling thread (default 0.5 s, about what threads take to start and restore a
   * model; 0 always sends them).
   */
  minThreadedSeconds?: number;
}

/**
 * `model.predict(X)` with the rows split between the threads of `pool` when that pays: for a
 * model whose predictions take long, such as an SVM's kernel values against thousands of
 * support vectors. The first rows are predicted on the calling thread, timed; when the rest
 * would take longer than `minThreadedSeconds` there, the model goes to the threads
 * as its model-file bytes and the rest of `X` as float32 rows, both in shared memory, and each
 * thread restores the model and predicts one contiguous share. Otherwise (most models answer
 * thousands of rows in a fraction of a second, sooner than threads could restore them), or
 * with a pool of one thread, the calling thread predicts them all. Rows are predicted
 * independently, so the labels are `model.predict(X)`'s either way, in the same order.
 *
 * ```ts
 * await withPool(2, (pool) => predictInParallel(model, Xtest, pool));
 * ```
 */
export async function predictInParallel(
  model: SavedModel,
  X: MatrixInput,
  pool: WorkerPool,
  { minThreadedSeconds = 0.5 }: PredictInParallelOptions = {},
): Promise<Labels> {
  if (pool.threads === 1) return model.predict(X);
  const matrix = toFloat32Matrix(X);
  const [rows, cols] = matrix.shape;
  const data = matrix.contiguousData();
  const probe = Math.min(rows, PROBE_ROWS);
  const started = performance.now();
  const first = model.predict(new Tensor(data.subarray(0, probe * cols), [probe, cols]));
  const restSeconds = ((performance.now() - started) / 1000) * ((rows - probe) / probe);
  if (restSeconds < minThreadedSeconds || probe === rows) {
    const rest = model.predict(new Tensor(data.subarray(probe * cols), [rows - probe, cols]));
    return joined([first, rest], rows);
  }
  const { model: state, preprocessing } = modelFile(model);
  const modelBytes = sharedCopy(encodeModel(state, preprocessing));
  const shared = sharedCopy(data.subarray(probe * cols));
  const inputs: PredictRowsInput[] = [];
  for (let s = 0; s < pool.threads; s++) {
    const start = Math.floor((s * (rows - probe)) / pool.threads);
    const end = Math.floor(((s + 1) * (rows - probe)) / pool.threads);
    inputs.push({ modelBytes, data: shared, cols, start, end });
  }
  const parts = await pool.map<PredictRowsInput, Labels>(PREDICT_ROWS, inputs);
  return joined([first, ...parts], rows);
}

/** The parts' labels end to end: an Int32Array for integer classes, as `predict` gives them. */
function joined(parts: Labels[], rows: number): Labels {
  if (parts.every((part) => part instanceof Int32Array)) {
    const labels = new Int32Array(rows);
    let at = 0;
    for (const part of parts) {
      labels.set(part as Int32Array, at);
      at += part.length;
    }
    return labels;
  }
  return parts.flatMap((part) => Array.from(part));
}
