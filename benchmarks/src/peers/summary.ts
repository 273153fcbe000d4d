// From the runs' raw measurements to what bench:peers reports: medians per run, and for each
// comparison the ratios typedlearn / peer and the accuracy difference.
import type { Comparison, Impl, RunResult, RunSpec } from './runs.js';
import { median } from '../median.js';

/** The median of each measurement of one run over its repeats. */
export interface RunSummary {
  key: string;
  impl: Impl;
  label: string;
  nTrain: number;
  nTest: number;
  repeats: number;
  /** Absent for a predict-only run (see RunSpec.measuredBy), as is its peak memory. */
  fitSeconds?: number;
  predictSeconds: number;
  peakRssMB?: number;
  accuracy: number;
}

/** One row of the ratio table. */
export interface ComparisonRow {
  family: string;
  title: string;
  peer: Impl;
  /** Why the peer was not measured (not installed, failed, timed out); the ratios are absent. */
  skipped?: string;
  /** Only the predictions are compared (the peer did not train): no fit nor memory ratio. */
  predictOnly?: boolean;
  typedlearn?: RunSummary;
  peerRun?: RunSummary;
  /** typedlearn / peer: below 1 means typedlearn is faster or smaller. */
  fitRatio?: number;
  predictRatio?: number;
  memoryRatio?: number;
  /** typedlearn's accuracy minus the peer's, in percentage points. */
  accuracyDifference?: number;
}

/** The median of `values`, or undefined when any is missing. */
function medianOf(values: readonly (number | undefined)[]): number | undefined {
  return values.every((x) => x !== undefined) ? median(values as number[]) : undefined;
}

export function summarizeRun(spec: RunSpec, results: readonly RunResult[]): RunSummary {
  return {
    key: spec.key,
    impl: spec.impl,
    label: spec.label,
    nTrain: spec.nTrain,
    nTest: spec.nTest,
    repeats: results.length,
    fitSeconds: medianOf(results.map((r) => r.fitSeconds)),
    predictSeconds: median(results.map((r) => r.predictSeconds)),
    peakRssMB: medianOf(results.map((r) => r.peakRssMB)),
    accuracy: median(results.map((r) => r.accuracy)),
  };
}

/**
 * The ratio row of a comparison; `failures` maps a run key to why it has no result. A missing
 * side makes the row skipped (never a zero).
 */
export function compare(
  comparison: Comparison,
  summaries: ReadonlyMap<string, RunSummary>,
  failures: ReadonlyMap<string, string>,
): ComparisonRow {
  const row: ComparisonRow = {
    family: comparison.family,
    title: comparison.title,
    peer: comparison.peer.impl,
    ...(comparison.predictOnly ? { predictOnly: true } : {}),
  };
  const mine = summaries.get(comparison.typedlearn.key);
  const theirs = summaries.get(comparison.peer.key);
  if (mine === undefined || theirs === undefined) {
    const missing = mine === undefined ? comparison.typedlearn.key : comparison.peer.key;
    return {
      ...row,
      typedlearn: mine,
      peerRun: theirs,
      skipped: failures.get(missing) ?? 'not run',
    };
  }
  const ratio = (x: number | undefined, y: number | undefined) =>
    comparison.predictOnly || x === undefined || y === undefined ? undefined : x / y;
  return {
    ...row,
    typedlearn: mine,
    peerRun: theirs,
    fitRatio: ratio(mine.fitSeconds, theirs.fitSeconds),
    predictRatio: mine.predictSeconds / theirs.predictSeconds,
    memoryRatio: ratio(mine.peakRssMB, theirs.peakRssMB),
    accuracyDifference: 100 * (mine.accuracy - theirs.accuracy),
  };
}

/** A ratio typedlearn / peer that issue 24 sets a target for. */
export interface ConvNetTarget {
  what: string;
  peer: Impl;
  /** The largest ratio that meets the target. */
  limit: number;
  /** The measured ratio, or undefined when the row was skipped. */
  ratio?: number;
  met?: boolean;
}

/**
 * Issue 24's targets for the convnet, on one thread, with typedlearn on its default backend
 * (the first convnet row of each peer): epoch time <= 0.05 x ConvNetJS's and <= 0.01 x
 * tfjs-cpu's (the fit is `--cnn-epochs` epochs on both sides, so the fit ratio is the epoch
 * ratio), and prediction time <= 0.5 x tfjs-wasm's.
 */
export function convNetTargets(rows: readonly ComparisonRow[]): ConvNetTarget[] {
  const targets: [string, Impl, 'fitRatio' | 'predictRatio', number][] = [
    ['training epoch time', 'convnetjs', 'fitRatio', 0.05],
    ['training epoch time', 'tfjs-cpu', 'fitRatio', 0.01],
    ['prediction time', 'tfjs-wasm', 'predictRatio', 0.5],
  ];
  return targets.flatMap(([what, peer, field, limit]) => {
    const row = rows.find((r) => r.family === 'convnet' && r.peer === peer);
    if (row === undefined) return [];
    const ratio = row[field];
    return [{ what, peer, limit, ratio, met: ratio === undefined ? undefined : ratio <= limit }];
  });
}
