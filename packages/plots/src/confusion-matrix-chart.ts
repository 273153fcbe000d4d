import { ShapeError, ValueError, assertFinite } from '@typedlearn/tensor';
import type { TopLevelSpec } from 'vega-lite';
import { formatFixed } from '@typedlearn/metrics';
import { classNames } from './chart-labels.js';
import { CHART_FONT, renderSvg } from './render-svg.js';

/** Options of {@link confusionMatrixSvg}. */
export interface ConfusionMatrixChartOptions {
  /** Name of each class, in row order. Default: 0, 1, 2, ... */
  labels?: readonly (string | number)[];
  /** Title above the chart. Default: none. */
  title?: string;
  /** Decimals shown in the cells of a normalised matrix. Default 2; counts show as integers. */
  digits?: number;
  /** Side of one cell in pixels. Default: about 440 px for the whole matrix, 28..64 per cell. */
  cellSize?: number;
}

/**
 * A confusion-matrix heatmap as an SVG document: true classes down the side, predicted classes
 * along the bottom, each cell shaded by its value (white to dark blue, with a legend) and
 * labelled with it. Pass counts or a normalised matrix, e.g. from `confusionMatrix`.
 */
export async function confusionMatrixSvg(
  matrix: readonly (readonly number[])[],
  options: ConfusionMatrixChartOptions = {},
): Promise<string> {
  const k = matrix.length;
  if (k === 0 || matrix.some((row) => row.length !== k)) {
    throw new ShapeError(
      `a confusion matrix must be square and non-empty, got rows of lengths [${matrix.map((row) => row.length).join(', ')}]`,
    );
  }
  matrix.forEach((row, i) => assertFinite(row, `matrix row ${i}`));
  const names = classNames(options.labels, k, 'classes');
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new ValueError(`digits must be an integer in [0, 20], got ${String(digits)}`);
  }
  const cellSize = options.cellSize ?? Math.min(64, Math.max(28, Math.round(440 / k)));
  if (!(cellSize > 0)) throw new ValueError(`cellSize must be positive, got ${cellSize}`);

  const counts = matrix.every((row) => row.every((value) => Number.isInteger(value)));
  const cells = matrix.flatMap((row, i) =>
    row.map((value, j) => ({
      actual: names[i],
      predicted: names[j],
      value,
      text: counts ? String(value) : formatFixed(value, digits),
    })),
  );
  const largest = Math.max(0, ...matrix.flat());
  const side = cellSize * k;

  const spec: TopLevelSpec = {
    ...(options.title === undefined ? {} : { title: { text: options.title, anchor: 'start' } }),
    width: side,
    height: side,
    background: 'white',
    padding: 12,
    data: { values: cells },
    encoding: {
      x: {
        field: 'predicted',
        type: 'nominal',
        sort: names,
        title: 'Predicted label',
        axis: { labelAngle: 0, ticks: false, domain: false, labelPadding: 6 },
      },
      y: {
        field: 'actual',
        type: 'nominal',
        sort: names,
        title: 'True label',
        axis: { ticks: false, domain: false, labelPadding: 6 },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            // ColorBrewer's Blues from its lightest through its middle to its darkest step.
            scale: {
              domain: [0, largest === 0 ? 1 : largest],
              range: ['#f7fbff', '#6baed6', '#08306b'],
              interpolate: 'hcl',
            },
            legend: { title: counts ? 'Count' : 'Fraction', gradientLength: side },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: Math.min(14, Math.max(9, Math.round(cellSize / 3.2))) },
        encoding: {
          text: { field: 'text' },
          color: {
            // Light text on dark cells, muted text for empty cells.
            condition: [
              { test: `datum.value > ${largest / 2}`, value: 'white' },
              { test: 'datum.value === 0', value: '#9ca3af' },
            ],
            value: '#1f2937',
          },
        },
      },
    ],
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', titlePadding: 10 },
      legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
      title: { fontSize: 15, fontWeight: 'bold', offset: 12 },
    },
  };
  return renderSvg(spec);
}
