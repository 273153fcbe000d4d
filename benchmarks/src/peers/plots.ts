// The pictures of docs/benchmarks.md, as SVG drawn by Vega-Lite without a browser.
import { CHART_FONT as FONT, renderSvg } from '@typedlearn/plots';
import type { ComparisonRow } from './summary.js';

/** The axis of comparisons, one per row, in the order of the results. */
const COMPARISON_AXIS = {
  field: 'comparison',
  type: 'nominal',
  sort: null,
  title: null,
  axis: { labelLimit: 360 },
} as const;

/** A comparison's name on a chart axis, e.g. 'Softmax regression, L-BFGS vs scikit-learn'. */
const rowName = (row: ComparisonRow) => `${row.title.split(' (')[0]} vs ${row.peer}`;

/**
 * Ratios typedlearn / peer for fit time, predict time and peak memory, one group of bars per
 * comparison, on a log scale around 1 (left of the line: typedlearn is faster or smaller).
 */
export function ratioChartSvg(rows: readonly ComparisonRow[]): Promise<string> {
  const measured = rows.filter((row) => row.skipped === undefined);
  const values = measured.flatMap((row) =>
    (
      [
        ['fit time', row.fitRatio],
        ['predict time', row.predictRatio],
        ['peak memory', row.memoryRatio],
      ] as const
    )
      // A predict-only row has no fit time nor memory ratio.
      .filter(([, ratio]) => ratio !== undefined)
      .map(([measure, ratio]) => ({ comparison: rowName(row), measure, ratio })),
  );
  const measures = ['fit time', 'predict time', 'peak memory'];
  return renderSvg({
    title: {
      text: 'typedlearn / peer (log scale; < 1: typedlearn faster or smaller)',
      anchor: 'start',
    },
    background: 'white',
    padding: 12,
    width: 520,
    data: { values },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.8 } },
        encoding: {
          y: COMPARISON_AXIS,
          yOffset: { field: 'measure', sort: measures },
          // Bars grow from 1 (parity) towards the ratio: a log scale has no zero to start from.
          x: { field: 'ratio', type: 'quantitative', scale: { type: 'log' }, title: 'ratio' },
          x2: { datum: 1 },
          color: {
            field: 'measure',
            sort: measures,
            scale: { scheme: 'tableau10' },
            legend: { title: null, orient: 'top' },
          },
        },
      },
      { mark: { type: 'rule', color: '#111827' }, encoding: { x: { datum: 1 } } },
    ],
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, gridColor: '#e5e7eb' },
    },
  });
}

/** Test accuracy of typedlearn and of each peer, side by side per comparison. */
export function accuracyChartSvg(rows: readonly ComparisonRow[]): Promise<string> {
  const measured = rows.filter((row) => row.skipped === undefined);
  const values = measured.flatMap((row) => [
    { comparison: rowName(row), who: 'typedlearn', accuracy: row.typedlearn!.accuracy },
    { comparison: rowName(row), who: 'peer', accuracy: row.peerRun!.accuracy },
  ]);
  const low = Math.min(...values.map((v) => v.accuracy));
  return renderSvg({
    title: { text: 'Test accuracy', anchor: 'start' },
    background: 'white',
    padding: 12,
    width: 520,
    data: { values },
    mark: { type: 'point', filled: true, size: 90 },
    encoding: {
      y: COMPARISON_AXIS,
      x: {
        field: 'accuracy',
        type: 'quantitative',
        scale: { domain: [Math.floor(low * 20) / 20, 1] },
        axis: { format: '%' },
        title: 'accuracy',
      },
      color: {
        field: 'who',
        scale: { domain: ['typedlearn', 'peer'], range: ['#2563eb', '#f97316'] },
        legend: { title: null, orient: 'top' },
      },
      shape: { field: 'who', legend: null },
    },
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, gridColor: '#e5e7eb' },
    },
  });
}
