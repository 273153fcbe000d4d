import { bootstrapCounts } from './bootstrap.js';
import { treeRng } from './grow-tree-task.js';
import { leafValueRow, packedLeaf } from './packed-trees.js';
import type { TreeEnsemble } from './tree-ensemble.js';

/**
 * The out-of-bag accuracy (Breiman 2001): each training sample is predicted by the trees whose
 * bootstrap sample left it out (their leaf shares averaged), and compared with its label. An
 * estimate of the test accuracy that needs no held-out data. Samples drawn by every tree are
 * skipped; undefined when that is all of them. Each tree's bootstrap is drawn again from its
 * seed, exactly as it was for growing. With `sampleWeight` (null: all 1) it is the weighted
 * accuracy, sum of w_i over the samples right / sum of w_i, so samples of weight 0 do not count.
 */
export function outOfBagScore(
  ensemble: TreeEnsemble,
  x: Float32Array,
  nFeatures: number,
  y: Int32Array,
  seed: number,
  sampleWeight: Float64Array | null = null,
): number | undefined {
  const { nClasses, packed } = ensemble;
  const rows = y.length;
  const sums = new Float64Array(rows * nClasses);
  const voted = new Uint8Array(rows);
  for (let t = 0; t < packed.roots.length; t++) {
    const counts = bootstrapCounts(treeRng(seed, t), rows);
    const value = packed.values[t];
    for (let i = 0; i < rows; i++) {
      if (counts[i] !== 0 || (sampleWeight !== null && sampleWeight[i] === 0)) continue;
      const leaf = packedLeaf(packed, packed.roots[t], x, i * nFeatures);
      const row = leafValueRow(packed, t, leaf) * nClasses;
      for (let k = 0; k < nClasses; k++) sums[i * nClasses + k] += value[row + k];
      voted[i] = 1;
    }
  }
  let scored = 0;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    if (voted[i] === 0) continue;
    let best = 0;
    for (let k = 1; k < nClasses; k++) {
      if (sums[i * nClasses + k] > sums[i * nClasses + best]) best = k;
    }
    const weight = sampleWeight === null ? 1 : sampleWeight[i];
    scored += weight;
    if (best === y[i]) correct += weight;
  }
  return scored === 0 ? undefined : correct / scored;
}
