import { ShapeError, ValueError } from '@typedlearn/tensor';
import type { TopLevelSpec } from 'vega-lite';
import { classNames } from './chart-labels.js';
import { SERIES_CHART_CONFIG, renderSvg, seriesColors } from './render-svg.js';

/** Options of {@link perClassBarChartSvg}. */
export interface PerClassChartOptions {
  /** Name of each class, in the order of the values. Default: 0, 1, 2, ... */
  labels?: readonly (string | number)[];
  /** Title above the chart. Default: none. */
  title?: string;
  /** Title of the value axis. Default `'Score'`. */
  valueTitle?: string;
  /** Width of one class's group of bars in pixels. Default 56. */
  groupWidth?: number;
}

/**
 * A grouped bar chart of per-class scores as an SVG document: one group of bars per class,
 * one coloured bar per named series, with a legend. The value axis runs from 0 to 1 when every
 * value lies there. NaN values (undefined scores) leave a gap.
 *
 * ```ts
 * const s = precisionRecallFscoreSupport(yTrue, yPred);
 * const svg = await perClassBarChartSvg(
 *   { Precision: s.precision, Recall: s.recall, F1: s.fScore },
 *   { labels: s.labels },
 * );
 * ```
 */
export async function perClassBarChartSvg(
  series: Readonly<Record<string, readonly number[]>>,
  options: PerClassChartOptions = {},
): Promise<string> {
  const entries = Object.entries(series);
  if (entries.length === 0) {
    throw new ShapeError('perClassBarChartSvg needs at least one series of per-class values');
  }
  const count = entries[0][1].length;
  for (const [name, values] of entries) {
    if (values.length !== count) {
      throw new ShapeError(
        `series '${name}' has ${values.length} values but '${entries[0][0]}' has ${count}: expected one per class`,
      );
    }
    values.forEach((value, i) => {
      if (!Number.isNaN(value) && !Number.isFinite(value)) {
        throw new ValueError(
          `series '${name}' value ${i} is ${value}: expected a finite number or NaN`,
        );
      }
    });
  }
  const names = classNames(options.labels, count, 'classes');
  const groupWidth = options.groupWidth ?? 56;
  if (!(groupWidth > 0)) throw new ValueError(`groupWidth must be positive, got ${groupWidth}`);

  const seriesNames = entries.map(([name]) => name);
  const bars = entries.flatMap(([metric, values]) =>
    values.map((value, i) => ({
      label: names[i],
      metric,
      // Vega leaves a null out; NaN would break the scale.
      value: Number.isNaN(value) ? null : value,
    })),
  );
  const unitRange = entries.every(([, values]) =>
    values.every((value) => Number.isNaN(value) || (value >= 0 && value <= 1)),
  );

  const spec: TopLevelSpec = {
    ...(options.title === undefined ? {} : { title: { text: options.title, anchor: 'start' } }),
    width: groupWidth * count,
    height: 260,
    background: 'white',
    padding: 12,
    data: { values: bars },
    mark: { type: 'bar', cornerRadiusTopLeft: 1, cornerRadiusTopRight: 1 },
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        sort: names,
        title: 'Class',
        axis: { labelAngle: 0, ticks: false, labelPadding: 6 },
        scale: { paddingInner: 0.25 },
      },
      xOffset: { field: 'metric', type: 'nominal', sort: seriesNames },
      y: {
        field: 'value',
        type: 'quantitative',
        title: options.valueTitle ?? 'Score',
        ...(unitRange ? { scale: { domain: [0, 1] } } : {}),
        axis: { grid: true, tickCount: 5 },
      },
      color: seriesColors('metric', seriesNames),
    },
    config: SERIES_CHART_CONFIG,
  };
  return renderSvg(spec);
}
