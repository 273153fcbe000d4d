// The results file of bench:peers (benchmarks/results/peers.json).
import type { PeerSettings } from './runs.js';
import type { ComparisonRow } from './summary.js';

/** Where and when the figures were measured. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  /** e.g. 'Python 3.13.5, scikit-learn 1.2.1, NumPy 1.24.2' or why it is missing. */
  python: string;
  /** 1, 5 and 15-minute load averages before the first and after the last run. */
  loadBefore: string[];
  loadAfter: string[];
  /** The 1-minute load average sampled every second during the runs. */
  loadDuring?: { median: string; max: string; samples: number };
}

export interface PeerResults {
  date: string;
  command: string;
  settings: PeerSettings & { repeats: number };
  machine: MachineInfo;
  comparisons: ComparisonRow[];
}
