import { ShapeError } from '@typedlearn/tensor';
import type { TopLevelSpec } from 'vega-lite';
import { SERIES_CHART_CONFIG, renderSvg, seriesColors } from './render-svg.js';

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  /** Title above the chart. Default: none. */
  title?: string;
  /** Title of the x axis. Default `'Epoch'`. */
  xTitle?: string;
  /** Title of the y axis. Default `'Value'`. */
  yTitle?: string;
}

/** When no series has more values than this, each value is also marked by a dot. */
const MAX_MARKED_POINTS = 30;

/**
 * A line chart of learning curves as an SVG document: each named series is a list of y values
 * at x = 1, 2, 3, ... (an epoch or iteration each), drawn as one coloured line, with a legend.
 * The y axis spans the values (it does not have to include 0). A series that is empty or holds
 * NaN or an infinite value (say a validation accuracy that was not measured) is left out; when
 * none is left, throws a {@link ShapeError}.
 *
 * ```ts
 * const svg = await lineChartSvg(
 *   { Training: history.map((h) => h.trainAccuracy), Validation: validationAccuracies },
 *   { title: 'MLP learning curves', xTitle: 'Epoch', yTitle: 'Accuracy' },
 * );
 * ```
 */
export async function lineChartSvg(
  series: Readonly<Record<string, readonly number[]>>,
  options: LineChartOptions = {},
): Promise<string> {
  const drawn = Object.entries(series).filter(
    ([, values]) => values.length > 0 && values.every(Number.isFinite),
  );
  if (drawn.length === 0) {
    throw new ShapeError(
      `lineChartSvg needs at least one non-empty series of finite values, got [${Object.keys(series).join(', ')}]`,
    );
  }
  const seriesNames = drawn.map(([name]) => name);
  const points = drawn.flatMap(([name, values]) =>
    values.map((value, i) => ({ series: name, x: i + 1, value })),
  );
  const longest = Math.max(...drawn.map(([, values]) => values.length));
  const low = Math.min(...points.map((point) => point.value));
  const high = Math.max(...points.map((point) => point.value));
  // A flat curve gets some room above and below, or its axis would have a single tick.
  const spread = Math.abs(low) / 2 || 1;

  const spec: TopLevelSpec = {
    ...(options.title === undefined ? {} : { title: { text: options.title, anchor: 'start' } }),
    width: 420,
    height: 260,
    background: 'white',
    padding: 12,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 2, point: longest <= MAX_MARKED_POINTS },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: options.xTitle ?? 'Epoch',
        // Whole steps from the first to the last (1..2 for a single value).
        scale: { domain: [1, Math.max(2, longest)], nice: false },
        axis: { format: 'd', tickMinStep: 1, grid: false },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: options.yTitle ?? 'Value',
        scale: high > low ? { zero: false } : { domain: [low - spread, high + spread] },
        axis: { grid: true, tickCount: 5 },
      },
      color: seriesColors('series', seriesNames),
    },
    config: SERIES_CHART_CONFIG,
  };
  return renderSvg(spec);
}
