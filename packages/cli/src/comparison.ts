import type { FitProgress } from '@typedlearn/classifiers';
import { formatBytes, formatPercent, formatSeconds } from './format.js';
import type { TrainableModel } from './models.js';

/** One candidate's results in `compare`. */
export interface ModelRun {
  /** The candidate's name: its model type, as `--model` names it. */
  name: string;
  /** Fitted on the training rows outside the validation split. */
  model: TrainableModel;
  /** Its preprocessing and the hyper-parameters other than the defaults. */
  settings: string;
  /** Training images it learned from. */
  trainRows: number;
  fitSeconds: number;
  /** Seconds to predict the whole test set. */
  predictSeconds: number;
  /** Accuracy on the validation split of the training images: what the best is chosen by. */
  validationAccuracy: number;
  /** Accuracy on the test set, reported beside, never used to choose. */
  accuracy: number;
  /** Size of its model file. */
  modelBytes: number;
  /** Its prediction for each test image. */
  predicted: Int32Array;
  /** Every progress report of `fit`, for learning curves. */
  history: FitProgress[];
}

/**
 * The comparison table as text cells, best validation accuracy first (for the terminal and
 * the report).
 */
export function comparisonRows(runs: readonly ModelRun[]): { header: string[]; rows: string[][] } {
  return {
    header: [
      'model',
      'trained on',
      'validation',
      'test',
      'fit',
      'predict',
      'model size',
      'settings',
    ],
    rows: [...runs]
      .sort((a, b) => b.validationAccuracy - a.validationAccuracy)
      .map((run) => [
        run.name,
        `${run.trainRows} images`,
        formatPercent(run.validationAccuracy),
        formatPercent(run.accuracy),
        formatSeconds(run.fitSeconds),
        formatSeconds(run.predictSeconds),
        formatBytes(run.modelBytes),
        run.settings,
      ]),
  };
}
