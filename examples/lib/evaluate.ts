// Evaluating a fitted classifier the same way in every example: accuracy, the per-class
// report, and the confusion matrix as text and as a picture.
import type { FitProgress } from '@typedlearn/classifiers';
import {
  accuracy,
  classificationReport,
  confusionMatrix,
  formatConfusionMatrix,
} from '@typedlearn/metrics';
import { confusionMatrixSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { printAccuracy, writeOutput } from './example.js';

/**
 * An `onProgress` callback that prints a line at every tenth of the work (and for every
 * epoch/iteration when there are only a few), with the loss when the model reports one.
 */
export function printProgress(): (progress: FitProgress) => void {
  let lastTenth = -1;
  return ({ stage, step, total, loss }) => {
    const tenth = Math.floor((10 * step) / total);
    if (tenth === lastTenth && total > 10) return;
    lastTenth = tenth;
    const lossText = loss === undefined ? '' : `  loss ${loss.toFixed(4)}`;
    console.log(`  ${stage} ${step}/${total}${lossText}`);
  };
}

/**
 * Prints the accuracy, scikit-learn's classification report and the confusion matrix of
 * `predicted` against `truth`, and writes the matrix as `<name>-confusion-matrix.png`.
 */
export async function reportResults(
  name: string,
  title: string,
  truth: Int32Array,
  predicted: Int32Array,
): Promise<void> {
  printAccuracy(accuracy(truth, predicted), truth.length);
  console.log(`\n${classificationReport(truth, predicted, { digits: 3 })}`);
  const matrix = confusionMatrix(truth, predicted);
  console.log('Confusion matrix (rows: true digit, columns: predicted digit):');
  console.log(formatConfusionMatrix(matrix));
  const svg = await confusionMatrixSvg(matrix, { title });
  console.log('\nPictures:');
  await writeOutput(`${name}-confusion-matrix.png`, await svgToPng(svg));
}
