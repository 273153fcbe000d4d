import { FormatError, Tensor, type DType } from '@typedlearn/tensor';
import type { ModelState } from '../classifier.js';
import { readStateTensors } from '../model-state.js';
import type { FlatTree } from './grow-tree.js';
import {
  addLeafShares,
  packedNodeCount,
  packTrees,
  unpackTree,
  type PackedTrees,
  type TreeNodes,
} from './packed-trees.js';

/**
 * Fitted trees, held in the packed form prediction reads ({@link PackedTrees}); model files
 * store them as node arrays ({@link TreeNodes}), converted on save and load. A single decision
 * tree is an ensemble of one. Prediction averages the class shares of the leaf each tree sends
 * a sample to (scikit-learn's `predict_proba`).
 */
export interface TreeEnsemble {
  nClasses: number;
  packed: PackedTrees;
  /** Normalised mean decrease in impurity per feature (sums to 1 unless nothing was split). */
  importances: Float32Array;
}

/**
 * The ensemble of fitted trees, packed (their class shares kept, not copied). Feature
 * importances are the mean over the trees that split at least once, normalised to sum 1
 * (scikit-learn's `feature_importances_`).
 */
export function assembleEnsemble(trees: readonly FlatTree[], nClasses: number): TreeEnsemble {
  const nFeatures = trees[0]?.importances.length ?? 0;
  const sums = new Float64Array(nFeatures);
  for (const tree of trees) {
    if (tree.feature.length === 1) continue;
    for (let f = 0; f < nFeatures; f++) sums[f] += tree.importances[f];
  }
  let total = 0;
  for (let f = 0; f < nFeatures; f++) total += sums[f];
  const importances = new Float32Array(nFeatures);
  if (total > 0) for (let f = 0; f < nFeatures; f++) importances[f] = sums[f] / total;
  return { nClasses, packed: packTrees(trees, nClasses), importances };
}

/** Total number of nodes of the ensemble's trees. */
export function nodeCount(ensemble: TreeEnsemble): number {
  return packedNodeCount(ensemble.packed);
}

/**
 * Mean class shares of the leaves reached by each row of the row-major `x` ([rows, nFeatures])
 * across all trees: `[rows, nClasses]`.
 */
export function ensembleProba(
  ensemble: TreeEnsemble,
  x: Float32Array,
  rows: number,
  nFeatures: number,
): Float32Array {
  const { nClasses, packed } = ensemble;
  const sums = new Float64Array(rows * nClasses);
  addLeafShares(packed, x, rows, nFeatures, nClasses, sums);
  const proba = new Float32Array(rows * nClasses);
  const nTrees = packed.roots.length;
  for (let i = 0; i < proba.length; i++) proba[i] = sums[i] / nTrees;
  return proba;
}

/** Index of the largest entry of each row of `proba` (the first on ties). */
export function argmaxClasses(proba: Float32Array, rows: number, nClasses: number): Int32Array {
  const best = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let k = 0;
    for (let c = 1; c < nClasses; c++) {
      if (proba[i * nClasses + c] > proba[i * nClasses + k]) k = c;
    }
    best[i] = k;
  }
  return best;
}

/**
 * The ensemble as named tensors for a model file: the trees' node arrays back to back (child
 * indices still counted from each tree's root) and `treeStart`, the first node of each tree.
 */
export function ensembleTensors(ensemble: TreeEnsemble): Record<string, Tensor<DType>> {
  const { packed, nClasses } = ensemble;
  const trees = Array.from(packed.roots, (_, t) => unpackTree(packed, t));
  const nodes = nodeCount(ensemble);
  const treeStart = new Int32Array(trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float32Array(nodes);
  const left = new Int32Array(nodes);
  const right = new Int32Array(nodes);
  const value = new Float32Array(nodes * nClasses);
  let offset = 0;
  trees.forEach((tree, t) => {
    treeStart[t] = offset;
    feature.set(tree.feature, offset);
    threshold.set(tree.threshold, offset);
    left.set(tree.left, offset);
    right.set(tree.right, offset);
    value.set(tree.value, offset * nClasses);
    offset += tree.feature.length;
  });
  return {
    treeStart: new Tensor(treeStart, [trees.length]),
    feature: new Tensor(feature, [nodes]),
    threshold: new Tensor(threshold, [nodes]),
    left: new Tensor(left, [nodes]),
    right: new Tensor(right, [nodes]),
    value: new Tensor(value, [nodes, nClasses]),
    featureImportances: new Tensor(ensemble.importances, [ensemble.importances.length]),
  };
}

/**
 * Rebuilds an ensemble from a model state, checking everything prediction relies on: the
 * model type, dtypes and shapes, every split feature in range, every child inside its own
 * tree and after its parent (so a walk from a root always ends at a leaf), finite thresholds,
 * and class shares in [0, 1]. Throws an error naming the problem.
 */
export function ensembleFromState(
  state: ModelState,
  owner: string,
  modelType: string,
  expectedTrees?: number,
): TreeEnsemble {
  const nClasses = state.classes.length;
  const { nFeatures } = state;
  const nodes = state.tensors.feature?.shape[0] ?? 0;
  const { treeStart, feature, threshold, left, right, value, featureImportances } =
    readStateTensors(state, owner, modelType, {
      treeStart: { dtype: 'int32', shape: [-1] },
      feature: { dtype: 'int32', shape: [nodes] },
      threshold: { dtype: 'float32', shape: [nodes] },
      left: { dtype: 'int32', shape: [nodes] },
      right: { dtype: 'int32', shape: [nodes] },
      value: { dtype: 'float32', shape: [nodes, nClasses] },
      featureImportances: { dtype: 'float32', shape: [nFeatures] },
    });
  const nTrees = treeStart.length;
  if (nTrees === 0 || (expectedTrees !== undefined && nTrees !== expectedTrees)) {
    throw new FormatError(
      `model file holds ${nTrees} trees, expected ${expectedTrees ?? 'at least 1'}`,
    );
  }
  const trees: TreeNodes[] = [];
  for (let t = 0; t < nTrees; t++) {
    const start = treeStart[t];
    const end = t + 1 < nTrees ? treeStart[t + 1] : nodes;
    if (!(start >= 0 && end > start && end <= nodes) || (t === 0 && start !== 0)) {
      throw new FormatError(
        `tree ${t} spans nodes [${start}, ${end}), expected consecutive non-empty ranges of 0..${nodes}`,
      );
    }
    const tree: TreeNodes = {
      feature: feature.subarray(start, end),
      threshold: threshold.subarray(start, end),
      left: left.subarray(start, end),
      right: right.subarray(start, end),
      value: value.subarray(start * nClasses, end * nClasses),
    };
    for (let n = 0; n < end - start; n++) checkNode(tree, t, n, nClasses, nFeatures);
    trees.push(tree);
  }
  return { nClasses, packed: packTrees(trees, nClasses), importances: featureImportances.slice() };
}

function checkNode(
  tree: TreeNodes,
  t: number,
  n: number,
  nClasses: number,
  nFeatures: number,
): void {
  const { feature, threshold, left, right, value } = tree;
  const size = feature.length;
  const f = feature[n];
  const where = `tree ${t}, node ${n}`;
  if (f === -1) {
    if (left[n] !== -1 || right[n] !== -1) {
      throw new FormatError(`${where} is a leaf with children; expected left = right = -1`);
    }
  } else if (!(f >= 0 && f < nFeatures)) {
    throw new FormatError(`${where} splits on feature ${f}, expected -1 or 0..${nFeatures - 1}`);
  } else if (!(left[n] > n && left[n] < size && right[n] > n && right[n] < size)) {
    throw new FormatError(
      `${where} has children ${left[n]} and ${right[n]}, expected nodes after it in its tree (< ${size})`,
    );
  } else if (!Number.isFinite(threshold[n])) {
    throw new FormatError(`${where} has threshold ${threshold[n]}, expected a finite number`);
  }
  for (let k = 0; k < nClasses; k++) {
    const share = value[n * nClasses + k];
    if (!(share >= 0 && share <= 1)) {
      throw new FormatError(`${where} has class share ${share}, expected a number in [0, 1]`);
    }
  }
}
