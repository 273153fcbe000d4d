// The subpath, not the package: a worker thread that grows trees imports nothing else of it.
import { Rng } from '@typedlearn/tensor/rng';
import { bootstrapCounts } from './bootstrap.js';
import type { BinnedFeatures } from './feature-binning.js';
import { growTree, type FlatTree, type GrowthRules } from './grow-tree.js';

/** Everything one tree of a forest needs; big arrays are shared memory when threads > 1. */
export interface TreeJob {
  binned: BinnedFeatures;
  /** Class index of each training sample. */
  y: Int32Array;
  nClasses: number;
  /** Each sample's weight (sample weight times class weight), or null for all 1. */
  sampleWeight: Float64Array | null;
  rules: GrowthRules;
  /** Draw a bootstrap sample (true) or grow on every sample once (false). */
  bootstrap: boolean;
  seed: number;
  treeIndex: number;
}

/**
 * The random stream of tree `treeIndex` of a fit seeded with `seed`: it depends on nothing
 * else, so the forest is the same whichever thread grows which tree. It first draws the
 * bootstrap sample, then the features examined at each node.
 */
export function treeRng(seed: number, treeIndex: number): Rng {
  return new Rng(seed).fork(treeIndex);
}

/**
 * Pool task: grows tree `job.treeIndex` of a forest. The bootstrap sample is drawn uniformly,
 * whatever the weights, and each sample's count multiplies its weight (scikit-learn's way).
 */
export function growTreeTask(job: TreeJob): FlatTree {
  const rng = treeRng(job.seed, job.treeIndex);
  const counts = job.bootstrap ? bootstrapCounts(rng, job.binned.nSamples) : null;
  return growTree(job.binned, job.y, job.nClasses, job.sampleWeight, counts, job.rules, rng);
}
