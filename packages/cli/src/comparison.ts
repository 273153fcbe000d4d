import type { Classifier, FitProgress } from '@typedlearn/classifiers';
import { formatBytes, formatPercent, formatSeconds } from './format.js';

/** One model's results in `compare`. */
export interface ModelRun {
  /** The model type, as `--model` names it. */
  name: string;
  model: Classifier;
  /** Hyper-parameters other than the model's defaults, e.g. `C=5`. */
  settings: string;
  /** Training images it learned from. */
  trainRows: number;
  fitSeconds: number;
  /** Seconds to predict the whole test set. */
  predictSeconds: number;
  /** Accuracy on the test set. */
  accuracy: number;
  /** Size of its model file. */
  modelBytes: number;
  /** Its prediction for each test image. */
  predicted: Int32Array;
  /** Every progress report of `fit`, for learning curves. */
  history: FitProgress[];
}

/** The comparison table as text cells, best accuracy first (for the terminal and the report). */
export function comparisonRows(runs: readonly ModelRun[]): { header: string[]; rows: string[][] } {
  return {
    header: ['model', 'trained on', 'accuracy', 'fit', 'predict', 'model size', 'settings'],
    rows: [...runs]
      .sort((a, b) => b.accuracy - a.accuracy)
      .map((run) => [
        run.name,
        `${run.trainRows} images`,
        formatPercent(run.accuracy),
        formatSeconds(run.fitSeconds),
        formatSeconds(run.predictSeconds),
        formatBytes(run.modelBytes),
        run.settings,
      ]),
  };
}
