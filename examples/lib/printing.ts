// How the examples print progress and results. `printEvaluation` repeats for 03-05 the
// evaluation that example 02 spells out step by step.
import type { FitProgress } from '@typedlearn/classifiers';
import {
  accuracy,
  classificationReport,
  confusionMatrix,
  formatConfusionMatrix,
  type Label,
} from '@typedlearn/metrics';
import { confusionMatrixSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { writeOutput } from './example.js';

/** Prints the line the example tests look for: `accuracy: 97.12% on 2000 test digits`. */
export function printAccuracy(accuracy: number, testCount: number, what = 'digits'): void {
  console.log(`accuracy: ${(100 * accuracy).toFixed(2)}% on ${testCount} test ${what}`);
}

/** Seconds since `start` (a `performance.now()` value), for messages. */
export function secondsSince(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

/**
 * An `onProgress` callback for `fit` that prints a line at every tenth of the work (and for
 * every epoch or iteration when there are only a few), with the loss when the model reports one.
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
 * Prints how good `predicted` is against `yTest` (accuracy, the classification report, the
 * confusion matrix) and draws the confusion matrix to examples/output/`<file>-confusion-matrix.png`,
 * step by step as example 02 does.
 */
export async function printEvaluation(
  title: string,
  file: string,
  yTest: ArrayLike<Label>,
  predicted: ArrayLike<Label>,
): Promise<void> {
  printAccuracy(accuracy(yTest, predicted), yTest.length);
  console.log(`\n${classificationReport(yTest, predicted, { digits: 3 })}`);
  const matrix = confusionMatrix(yTest, predicted);
  console.log('Confusion matrix (rows: true digit, columns: predicted digit):');
  console.log(formatConfusionMatrix(matrix));
  console.log('\nPictures:');
  const svg = await confusionMatrixSvg(matrix, { title: `${title}: test digits` });
  await writeOutput(`${file}-confusion-matrix.png`, await svgToPng(svg));
}
