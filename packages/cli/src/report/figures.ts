import type { FitProgress } from '@typedlearn/classifiers';
import { precisionRecallFscoreSupport } from '@typedlearn/metrics';
import { confusionMatrixSvg, lineChartSvg, perClassBarChartSvg } from '@typedlearn/plots';
import type { Tensor } from '@typedlearn/tensor';
import { escapeXml, image, svgDataUri, type Figure } from './html-report.js';
import {
  blueWhiteRed,
  inkOnPaper,
  scaleByMax,
  scaleSymmetric,
  tileGridPng,
  tilePng,
  viridis,
  type Tile,
} from './raster.js';

/** Each uint8 image [N, h, w] as a tile in [0, 1]. */
function digitTile(images: Tensor<'uint8'>, i: number): Tile {
  const [, height, width] = images.shape;
  const size = height * width;
  const source = images.contiguous();
  const start = source.offset + i * size;
  const pixels = source.data.subarray(start, start + size);
  return { values: Float32Array.from(pixels, (v) => v / 255), width, height };
}

/** The sorted distinct labels. */
function labelsOf(...sets: ArrayLike<number>[]): number[] {
  const seen = new Set<number>();
  for (const set of sets) for (let i = 0; i < set.length; i++) seen.add(set[i]);
  return [...seen].sort((a, b) => a - b);
}

/** The first `perClass` training images of each class, one row per class. */
export function sampleDigitsFigure(
  images: Tensor<'uint8'>,
  labels: Int32Array,
  perClass = 12,
): Figure {
  const classes = labelsOf(labels);
  const tiles: Tile[] = [];
  for (const label of classes) {
    const rows: Tile[] = [];
    for (let i = 0; i < labels.length && rows.length < perClass; i++) {
      if (labels[i] === label) rows.push(digitTile(images, i));
    }
    while (rows.length < perClass)
      rows.push({ ...rows[0], values: new Float32Array(rows[0].values.length) });
    tiles.push(...rows);
  }
  const src = tileGridPng(tiles, perClass, inkOnPaper);
  return {
    id: 'sample-digits',
    title: 'Sample digits per class',
    caption: `The first ${perClass} training images of each class (${classes.join(', ')}), one row per class.`,
    body: image(src, 'a grid of training digits, one row per class', 3 * 30 * perClass, true),
  };
}

/** How many images of each class the training and test sets hold, as shares. */
export async function classDistributionFigure(
  trainLabels: Int32Array,
  testLabels: Int32Array,
): Promise<Figure> {
  const classes = labelsOf(trainLabels, testLabels);
  const shares = (labels: Int32Array) =>
    classes.map((label) => labels.filter((l) => l === label).length / labels.length);
  const svg = await perClassBarChartSvg(
    { Training: shares(trainLabels), Test: shares(testLabels) },
    { labels: classes, valueTitle: 'Share of images', title: 'Class distribution' },
  );
  return {
    id: 'class-distribution',
    title: 'Class distribution',
    caption: `Share of each class in the ${trainLabels.length} training and ${testLabels.length} test images used.`,
    body: image(svgDataUri(svg), 'bar chart of the share of each class'),
  };
}

/** The best model's confusion matrix as a heatmap. */
export async function confusionMatrixFigure(
  matrix: number[][],
  labels: number[],
  modelName: string,
): Promise<Figure> {
  const svg = await confusionMatrixSvg(matrix, {
    labels,
    title: `${modelName}: true vs predicted`,
  });
  return {
    id: 'confusion-matrix',
    title: `Confusion matrix (${modelName})`,
    caption:
      'Rows are the true digits, columns the predicted ones; off-diagonal cells are mistakes.',
    body: image(svgDataUri(svg), `confusion matrix heatmap of ${modelName}`),
  };
}

/** F1 of every class for every model, side by side. */
export async function perClassF1Figure(
  runs: readonly { name: string; predicted: Int32Array }[],
  truth: Int32Array,
): Promise<Figure> {
  const labels = labelsOf(truth, ...runs.map((run) => run.predicted));
  const series = Object.fromEntries(
    runs.map((run) => [
      run.name,
      precisionRecallFscoreSupport(truth, run.predicted, { labels }).fScore,
    ]),
  );
  const svg = await perClassBarChartSvg(series, {
    labels,
    valueTitle: 'F1',
    title: 'F1 per class',
  });
  return {
    id: 'per-class-f1',
    title: 'Per-class F1',
    caption: 'The F1 score (harmonic mean of precision and recall) of each digit, for each model.',
    body: image(svgDataUri(svg), 'bar chart of the F1 score of each class for each model'),
  };
}

/** The MLP's loss and accuracies per epoch, from the progress it reported while training. */
export async function learningCurvesFigure(
  history: readonly FitProgress[],
  modelName: string,
): Promise<Figure> {
  const epochs = history.filter((report) => report.stage === 'epoch');
  const pick = (key: 'loss' | 'trainAccuracy' | 'validationAccuracy') =>
    epochs.map((report) => report[key] ?? NaN);
  // lineChartSvg leaves out a series with a value that was not measured (NaN), and a chart
  // with no series left is left out here.
  const charts: { what: string; yTitle: string; series: Record<string, number[]> }[] = [
    { what: 'loss', yTitle: 'Cross-entropy', series: { 'Training loss': pick('loss') } },
    {
      what: 'accuracy',
      yTitle: 'Accuracy',
      series: { Training: pick('trainAccuracy'), Validation: pick('validationAccuracy') },
    },
  ];
  const drawn = charts.filter(({ series }) =>
    Object.values(series).some((values) => values.length > 0 && values.every(Number.isFinite)),
  );
  const images = await Promise.all(
    drawn.map(async ({ what, yTitle, series }) => {
      const svg = await lineChartSvg(series, {
        title: `${modelName}: ${what}`,
        xTitle: 'Epoch',
        yTitle,
      });
      return image(svgDataUri(svg), `${modelName} ${what} per epoch`);
    }),
  );
  return {
    id: 'learning-curves',
    title: `Learning curves (${modelName})`,
    caption: `The ${modelName}'s loss and accuracy after each of its ${epochs.length} epochs (a curve with a value that was not measured is left out).`,
    body: images.join(''),
  };
}

/** The forest's feature importances as an image: which pixels the trees split on most. */
export function featureImportancesFigure(
  importances: ArrayLike<number>,
  side: readonly [number, number],
  modelName: string,
): Figure {
  const [height, width] = side;
  const src = tilePng({ values: scaleByMax(importances), width, height }, viridis);
  return {
    id: 'feature-importances',
    title: `Feature importances (${modelName})`,
    caption:
      'Mean decrease in impurity of each pixel, bright = important. The forest looks at the centre, ' +
      'where strokes differ between digits, and ignores the always-blank border.',
    body: image(src, `${modelName} feature importances as a ${width}x${height} heatmap`, 280, true),
  };
}

/** Each class's softmax weights as an image: red pixels vote for the class, blue against. */
export function softmaxWeightsFigure(
  weights: Tensor,
  classes: ArrayLike<number>,
  side: readonly [number, number],
  modelName: string,
): Figure {
  const [height, width] = side;
  const [k, d] = weights.matrixShape('weights');
  const data = weights.contiguous();
  const tiles = Array.from({ length: k }, (_, c) => {
    const start = data.offset + c * d;
    const row = data.data.subarray(start, start + d);
    return `<figure>${image(
      tilePng({ values: scaleSymmetric(row), width, height }, blueWhiteRed),
      `weights of class ${classes[c]}`,
      112,
      true,
    )}<figcaption>${classes[c]}</figcaption></figure>`;
  });
  return {
    id: 'softmax-weights',
    title: `Softmax weights (${modelName})`,
    caption:
      'One image per class: red pixels raise the score of the class when inked, blue pixels lower it ' +
      '(each image scaled to the 99th percentile of its weight magnitudes).',
    body: `<div class="gallery">${tiles.join('')}</div>`,
  };
}

/** Test digits the best model got wrong, with their true and predicted labels. */
export function misclassifiedFigure(
  images: Tensor<'uint8'>,
  truth: Int32Array,
  predicted: Int32Array,
  modelName: string,
  limit = 40,
): Figure {
  const wrong: number[] = [];
  for (let i = 0; i < truth.length && wrong.length < limit; i++) {
    if (truth[i] !== predicted[i]) wrong.push(i);
  }
  const total = truth.filter((label, i) => label !== predicted[i]).length;
  const items = wrong.map(
    (i) =>
      `<figure>${image(tilePng(digitTile(images, i), inkOnPaper), `test image ${i}`, 84, true)}` +
      `<figcaption>true ${truth[i]} &rarr; ${predicted[i]}</figcaption></figure>`,
  );
  return {
    id: 'misclassified',
    title: `Misclassified test digits (${modelName})`,
    caption: `The first ${wrong.length} of the ${total} test images the ${modelName} got wrong, with their true and predicted labels.`,
    body:
      items.length === 0
        ? `<p>${escapeXml(`The ${modelName} classified every test image correctly.`)}</p>`
        : `<div class="gallery">${items.join('')}</div>`,
  };
}
