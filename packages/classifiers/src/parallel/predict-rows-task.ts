import { Tensor } from '@typedlearn/tensor';
import type { Labels } from '../input.js';
import { decodeModel } from '../model-file/model-format.js';
import { modelFromFile } from '../model-file/saved-model.js';

/** One thread's share of a {@link predictInParallel}: the model's file and some of the rows. */
export interface PredictRowsInput {
  /** The model as `encodeModel` wrote it (shared between the threads, not copied). */
  modelBytes: Uint8Array;
  /** Row-major float32 rows of all the threads (shared); this task predicts `[start, end)`. */
  data: Float32Array;
  cols: number;
  start: number;
  end: number;
}

/** The pool task of {@link predictInParallel}: restores the model and predicts its rows. */
export function predictRowsTask({ modelBytes, data, cols, start, end }: PredictRowsInput): Labels {
  const model = modelFromFile(decodeModel(modelBytes));
  const rows = new Tensor(data.subarray(start * cols, end * cols), [end - start, cols]);
  return model.predict(rows);
}
