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
  fitSeconds: number;
  predictSeconds: number;
  peakRssMB: number;
  accuracy: number;
}

/** One row of the ratio table. */
export interface ComparisonRow {
  family: string;
  title: string;
  peer: Impl;
  /** Why the peer was not measured (not installed, failed, timed out); the ratios are absent. */
  skipped?: string;
  typedlearn?: RunSummary;
  peerRun?: RunSummary;
  /** typedlearn / peer: below 1 means typedlearn is faster or smaller. */
  fitRatio?: number;
  predictRatio?: number;
  memoryRatio?: number;
  /** typedlearn's accuracy minus the peer's, in percentage points. */
  accuracyDifference?: number;
}

export function summarizeRun(spec: RunSpec, results: readonly RunResult[]): RunSummary {
  return {
    key: spec.key,
    impl: spec.impl,
    label: spec.label,
    nTrain: spec.nTrain,
    nTest: spec.nTest,
    repeats: results.length,
    fitSeconds: median(results.map((r) => r.fitSeconds)),
    predictSeconds: median(results.map((r) => r.predictSeconds)),
    peakRssMB: median(results.map((r) => r.peakRssMB)),
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
  return {
    ...row,
    typedlearn: mine,
    peerRun: theirs,
    fitRatio: mine.fitSeconds / theirs.fitSeconds,
    predictRatio: mine.predictSeconds / theirs.predictSeconds,
    memoryRatio: mine.peakRssMB / theirs.peakRssMB,
    accuracyDifference: 100 * (mine.accuracy - theirs.accuracy),
  };
}
