import { cpus } from 'node:os';
import { integerLabels } from '@typedlearn/classifiers';
import { Pipeline } from '@typedlearn/data';
import { comparisonRows, type ModelRun } from '../comparison.js';
import type { Samples } from '../dataset.js';
import { formatPercent } from '../format.js';
import {
  classDistributionFigure,
  confusionMatrixFigure,
  featureImportancesFigure,
  learningCurvesFigure,
  misclassifiedFigure,
  perClassF1Figure,
  sampleDigitsFigure,
  softmaxWeightsFigure,
} from './figures.js';
import { renderReport, type Figure } from './html-report.js';
import { forestImportances, softmaxWeights } from './model-pictures.js';

/** What `compare` measured, for its report. */
export interface ComparisonResults {
  runs: readonly ModelRun[];
  best: ModelRun;
  train: Samples;
  test: Samples;
  /** The best model's confusion matrix over `labels`. */
  matrix: number[][];
  labels: number[];
  threads: number;
  seed: number;
}

/**
 * The report of `compare` as one self-contained HTML page: the comparison table, then the
 * data (sample digits, class distribution), the best model's mistakes (confusion matrix,
 * per-class F1 of every model, misclassified digits) and what each model learned (MLP
 * learning curves, forest feature importances, softmax weights).
 */
export async function mnistReport(results: ComparisonResults): Promise<string> {
  const { runs, best, train, test, matrix, labels } = results;

  const side = [train.images.shape[1], train.images.shape[2]] as const;
  const run = (name: ModelRun['name']) => runs.find((r) => r.name === name);

  const figures: Figure[] = [
    sampleDigitsFigure(train.images, train.y),
    await classDistributionFigure(train.y, test.y),
    await confusionMatrixFigure(matrix, labels, best.name),
    await perClassF1Figure(runs, test.y),
  ];
  const mlp = run('mlp');
  if (mlp !== undefined) figures.push(await learningCurvesFigure(mlp.history, mlp.name));
  // The pictures of what a model learned are per pixel: for models fitted on raw pixels.
  const forest = run('forest');
  if (forest !== undefined && !(forest.model instanceof Pipeline)) {
    figures.push(featureImportancesFigure(forestImportances(forest.model), side, forest.name));
  }
  const softmax = run('softmax');
  if (softmax !== undefined && !(softmax.model instanceof Pipeline)) {
    figures.push(
      softmaxWeightsFigure(
        softmaxWeights(softmax.model),
        integerLabels(softmax.model.classes),
        side,
        softmax.name,
      ),
    );
  }
  figures.push(misclassifiedFigure(test.images, test.y, best.predicted, best.name));

  return renderReport({
    title: 'typedlearn: four classifiers on MNIST',
    summary:
      `Each model was fitted on ${best.trainRows} of the ${train.y.length} training images; the ` +
      `best on the rest, ${best.name}, reaches ${formatPercent(best.accuracy)} accuracy on the ` +
      `${test.y.length} test images. Measured on ` +
      `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}) with ` +
      `${results.threads} worker thread${results.threads === 1 ? '' : 's'}, seed ${results.seed}, ` +
      `Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}.`,
    table: comparisonRows(runs),
    figures,
  });
}
