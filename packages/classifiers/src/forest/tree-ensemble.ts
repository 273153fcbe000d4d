import { FormatError, Tensor, type DType } from '@typedlearn/tensor';
import type { FlatTree } from './grow-tree.js';

/**
 * Fitted trees stored back to back in flat typed arrays: node arrays as in {@link FlatTree},
 * with child indices counted from the start of the arrays, and tree t rooted at node
 * `treeStart[t]`. A single decision tree is an ensemble of one. Prediction averages the class
 * shares of the leaf each tree sends a sample to (scikit-learn's `predict_proba`).
 */
export interface TreeEnsemble {
  nClasses: number;
  treeStart: Int32Array;
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Class shares per node, `[nodes, nClasses]`. */
  value: Float32Array;
  /** Normalised mean decrease in impurity per feature (sums to 1 unless nothing was split). */
  importances: Float32Array;
}

/**
 * Concatenates trees into one ensemble. Feature importances are the mean over the trees that
 * split at least once, normalised to sum 1 (scikit-learn's `feature_importances_`).
 */
export function assembleEnsemble(trees: readonly FlatTree[], nClasses: number): TreeEnsemble {
  let nodes = 0;
  const treeStart = new Int32Array(trees.length);
  trees.forEach((tree, t) => {
    treeStart[t] = nodes;
    nodes += tree.feature.length;
  });
  const ensemble: TreeEnsemble = {
    nClasses,
    treeStart,
    feature: new Int32Array(nodes),
    threshold: new Float32Array(nodes),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    value: new Float32Array(nodes * nClasses),
    importances: new Float32Array(trees[0]?.importances.length ?? 0),
  };
  const importanceSum = new Float64Array(ensemble.importances.length);
  trees.forEach((tree, t) => {
    const offset = treeStart[t];
    ensemble.feature.set(tree.feature, offset);
    ensemble.threshold.set(tree.threshold, offset);
    ensemble.value.set(tree.value, offset * nClasses);
    for (let n = 0; n < tree.feature.length; n++) {
      ensemble.left[offset + n] = tree.left[n] < 0 ? -1 : tree.left[n] + offset;
      ensemble.right[offset + n] = tree.right[n] < 0 ? -1 : tree.right[n] + offset;
    }
    if (tree.feature.length > 1) {
      for (let f = 0; f < importanceSum.length; f++) importanceSum[f] += tree.importances[f];
    }
  });
  let total = 0;
  for (let f = 0; f < importanceSum.length; f++) total += importanceSum[f];
  if (total > 0) {
    for (let f = 0; f < importanceSum.length; f++) {
      ensemble.importances[f] = importanceSum[f] / total;
    }
  }
  return ensemble;
}

/** Index of the leaf that tree `t` sends row `row` of the row-major matrix `x` to. */
export function leafOf(
  ensemble: TreeEnsemble,
  t: number,
  x: Float32Array,
  rowStart: number,
): number {
  const { feature, threshold, left, right } = ensemble;
  let node = ensemble.treeStart[t];
  for (let f = feature[node]; f >= 0; f = feature[node]) {
    node = x[rowStart + f] <= threshold[node] ? left[node] : right[node];
  }
  return node;
}

/** Rows handled together, so the trees' arrays stay in cache while the rows are reused. */
const ROW_BLOCK = 256;

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
  const { nClasses, value } = ensemble;
  const nTrees = ensemble.treeStart.length;
  const sums = new Float64Array(rows * nClasses);
  for (let first = 0; first < rows; first += ROW_BLOCK) {
    const last = Math.min(rows, first + ROW_BLOCK);
    for (let t = 0; t < nTrees; t++) {
      for (let i = first; i < last; i++) {
        const leaf = leafOf(ensemble, t, x, i * nFeatures) * nClasses;
        for (let k = 0; k < nClasses; k++) sums[i * nClasses + k] += value[leaf + k];
      }
    }
  }
  const proba = new Float32Array(rows * nClasses);
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

/** The ensemble as named tensors for a model file. */
export function ensembleTensors(ensemble: TreeEnsemble): Record<string, Tensor<DType>> {
  const nodes = ensemble.feature.length;
  return {
    treeStart: new Tensor(ensemble.treeStart, [ensemble.treeStart.length]),
    feature: new Tensor(ensemble.feature, [nodes]),
    threshold: new Tensor(ensemble.threshold, [nodes]),
    left: new Tensor(ensemble.left, [nodes]),
    right: new Tensor(ensemble.right, [nodes]),
    value: new Tensor(ensemble.value, [nodes, ensemble.nClasses]),
    featureImportances: new Tensor(ensemble.importances, [ensemble.importances.length]),
  };
}

/**
 * Rebuilds an ensemble from model-file tensors, checking everything prediction relies on:
 * dtypes and shapes, every split feature in range, every child inside its own tree and after
 * its parent (so a walk from a root always ends at a leaf), finite thresholds, and class
 * shares that are finite and non-negative. Throws a {@link FormatError} naming the problem.
 */
export function ensembleFromTensors(
  tensors: Record<string, Tensor<DType>>,
  nClasses: number,
  nFeatures: number,
  expectedTrees?: number,
): TreeEnsemble {
  const nodes = tensorOf(tensors, 'feature', 'int32').shape[0] ?? 0;
  const treeStart = tensorOf(tensors, 'treeStart', 'int32', [-1]).toTypedArray();
  const ensemble: TreeEnsemble = {
    nClasses,
    treeStart,
    feature: tensorOf(tensors, 'feature', 'int32', [nodes]).toTypedArray(),
    threshold: tensorOf(tensors, 'threshold', 'float32', [nodes]).toTypedArray(),
    left: tensorOf(tensors, 'left', 'int32', [nodes]).toTypedArray(),
    right: tensorOf(tensors, 'right', 'int32', [nodes]).toTypedArray(),
    value: tensorOf(tensors, 'value', 'float32', [nodes, nClasses]).toTypedArray(),
    importances: tensorOf(tensors, 'featureImportances', 'float32', [nFeatures]).toTypedArray(),
  };
  const nTrees = treeStart.length;
  if (nTrees === 0 || (expectedTrees !== undefined && nTrees !== expectedTrees)) {
    throw new FormatError(
      `model file holds ${nTrees} trees, expected ${expectedTrees ?? 'at least 1'}`,
    );
  }
  for (let t = 0; t < nTrees; t++) {
    const start = treeStart[t];
    const end = t + 1 < nTrees ? treeStart[t + 1] : nodes;
    if (!(start >= 0 && end > start && end <= nodes) || (t === 0 && start !== 0)) {
      throw new FormatError(
        `tree ${t} spans nodes [${start}, ${end}), expected consecutive non-empty ranges of 0..${nodes}`,
      );
    }
    for (let n = start; n < end; n++) checkNode(ensemble, n, end, nFeatures);
  }
  return ensemble;
}

function checkNode(ensemble: TreeEnsemble, n: number, end: number, nFeatures: number): void {
  const { feature, threshold, left, right, value, nClasses } = ensemble;
  const f = feature[n];
  if (f === -1) {
    if (left[n] !== -1 || right[n] !== -1) {
      throw new FormatError(`leaf node ${n} has children; expected left = right = -1`);
    }
  } else if (!(f >= 0 && f < nFeatures)) {
    throw new FormatError(`node ${n} splits on feature ${f}, expected -1 or 0..${nFeatures - 1}`);
  } else if (!(left[n] > n && left[n] < end && right[n] > n && right[n] < end)) {
    throw new FormatError(
      `node ${n} has children ${left[n]} and ${right[n]}, expected nodes after it in its tree (< ${end})`,
    );
  } else if (!Number.isFinite(threshold[n])) {
    throw new FormatError(`node ${n} has threshold ${threshold[n]}, expected a finite number`);
  }
  for (let k = 0; k < nClasses; k++) {
    const share = value[n * nClasses + k];
    if (!(share >= 0 && share <= 1)) {
      throw new FormatError(`node ${n} has class share ${share}, expected a number in [0, 1]`);
    }
  }
}

function tensorOf<D extends DType>(
  tensors: Record<string, Tensor<DType>>,
  name: string,
  dtype: D,
  shape?: readonly number[],
): Tensor<D> {
  const tensor = tensors[name];
  if (tensor === undefined) throw new FormatError(`model file lacks the tensor '${name}'`);
  const shapeOk =
    shape === undefined ||
    (tensor.shape.length === shape.length &&
      shape.every((n, d) => n === -1 || tensor.shape[d] === n));
  if (tensor.dtype !== dtype || !shapeOk) {
    throw new FormatError(
      `tensor '${name}' is ${tensor.dtype} [${tensor.shape.join(', ')}], expected ${dtype} [${(shape ?? []).join(', ')}]`,
    );
  }
  return tensor as Tensor<D>;
}
