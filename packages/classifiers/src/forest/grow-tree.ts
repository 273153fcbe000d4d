import type { Rng } from '@typedlearn/tensor';
import type { BinnedFeatures } from './feature-binning.js';
import { HistogramSplitter, LOCAL_SAMPLES, type SplitRules } from './histogram-splitter.js';
import { nodeImpurity } from './impurity.js';

/** When to stop splitting, besides purity; the scikit-learn hyper-parameters of the same names. */
export interface GrowthRules extends SplitRules {
  /** Deepest level a node may have (the root is at depth 0); `Infinity` for no limit. */
  maxDepth: number;
  /** Fewest (distinct) samples a node must hold to be split. */
  minSamplesSplit: number;
}

/**
 * One fitted decision tree as flat arrays, nodes in depth-first order (a node's children
 * always come after it). Node n is a leaf when `feature[n] === -1`; otherwise a sample goes to
 * `left[n]` when its value of `feature[n]` is `<= threshold[n]`, else to `right[n]`.
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  /** Weighted class shares of the training samples in each node, `[nodes, nClasses]`. */
  value: Float32Array;
  /**
   * Mean decrease in impurity per feature (Breiman 2001; Louppe et al. 2013): for every split
   * on the feature, the node's weighted impurity minus its children's, divided by the root's
   * weight and normalised to sum to 1 (all zeros for a tree that never split).
   */
  importances: Float64Array;
}

/** The impurity below which a node counts as pure (scikit-learn's EPSILON). */
const PURE = Number.EPSILON;

/**
 * Grows one CART tree (Breiman et al. 1984) depth-first on binned features: a node becomes a
 * leaf when it is pure, too small (`minSamplesSplit`, twice `minSamplesLeaf`), at `maxDepth`,
 * or when no examined feature can split it; otherwise it takes the split that lowers the
 * weighted impurity most. Sample i weighs `multiplicity[i]` (how often it was drawn for a
 * bootstrap, or null for once) times `sampleWeight[i]` (its sample weight times its class
 * weight, or null for 1) in the impurities and the leaves' class shares; samples of weight 0
 * are left out, and the sample counts of the rules count the samples of positive weight
 * (scikit-learn's rules). `rng` picks the features examined at each node. A tree left with no
 * sample of positive weight (a bootstrap that drew none) is a single leaf of equal shares,
 * which changes no vote of a forest.
 */
export function growTree(
  binned: BinnedFeatures,
  y: Int32Array,
  nClasses: number,
  sampleWeight: Float64Array | null,
  multiplicity: Int32Array | null,
  rules: GrowthRules,
  rng: Rng,
): FlatTree {
  const splitter = new HistogramSplitter(
    binned,
    y,
    nClasses,
    sampleWeight,
    multiplicity,
    rules,
    rng,
  );
  const tree = new TreeRecorder(nClasses);
  const importances = new Float64Array(binned.nFeatures);
  const stack = new PendingNodes(nClasses);
  const totals = new Float64Array(nClasses);
  const leftTotals = new Float64Array(nClasses);
  const rightTotals = new Float64Array(nClasses);
  const { criterion, maxDepth, minSamplesSplit, minSamplesLeaf } = rules;

  splitter.addClassTotals(0, splitter.sampleCount, totals);
  stack.push(0, splitter.sampleCount, 0, -1, false, 0, totals);
  let rootWeight = 0;
  // The range of the subtree currently grown from the splitter's local block, if any.
  let localStart = 0;
  let localEnd = -1;
  while (stack.size > 0) {
    const { start, end, depth, parent, isLeft, knownConstants } = stack.pop(totals);
    if (localEnd >= 0 && (start < localStart || end > localEnd)) {
      splitter.leaveLocal();
      localEnd = -1;
    }
    let weight = 0;
    for (let k = 0; k < nClasses; k++) weight += totals[k];
    const node = tree.addNode(parent, isLeft, totals, weight);
    if (node === 0) rootWeight = weight;
    const impurity = nodeImpurity(criterion, totals, 0, nClasses, weight);
    const samples = end - start;
    const mustStop =
      depth >= maxDepth ||
      samples < minSamplesSplit ||
      samples < 2 * minSamplesLeaf ||
      impurity <= PURE;
    if (mustStop) continue;
    if (localEnd < 0 && samples <= LOCAL_SAMPLES) {
      splitter.enterLocal(start, end);
      localStart = start;
      localEnd = end;
    }
    if (!splitter.findBestSplit(start, end, totals, weight, knownConstants)) continue;

    const middle = splitter.partition(start, end);
    tree.setSplit(node, splitter.bestFeature, splitter.bestThreshold);
    // Each child's class totals are summed afresh from its samples, so a class a child lacks
    // has exactly zero weight there, whatever the rounding of fractional class weights.
    leftTotals.fill(0);
    rightTotals.fill(0);
    splitter.addClassTotals(start, middle, leftTotals);
    splitter.addClassTotals(middle, end, rightTotals);
    let leftWeight = 0;
    for (let k = 0; k < nClasses; k++) leftWeight += leftTotals[k];
    const rightWeight = weight - leftWeight;
    const leftImpurity = nodeImpurity(criterion, leftTotals, 0, nClasses, leftWeight);
    const rightImpurity = nodeImpurity(criterion, rightTotals, 0, nClasses, rightWeight);
    importances[splitter.bestFeature] +=
      weight * impurity - leftWeight * leftImpurity - rightWeight * rightImpurity;

    // Right pushed first so the left child is grown (and numbered) first.
    const constants = splitter.constantCount;
    stack.push(middle, end, depth + 1, node, false, constants, rightTotals);
    stack.push(start, middle, depth + 1, node, true, constants, leftTotals);
  }
  return { ...tree.finish(), importances: normalise(importances, rootWeight) };
}

/** Divides by the root weight, then scales to sum 1 (unless nothing was split). */
function normalise(importances: Float64Array, rootWeight: number): Float64Array {
  if (!(rootWeight > 0)) return importances;
  let sum = 0;
  for (let f = 0; f < importances.length; f++) {
    importances[f] /= rootWeight;
    sum += importances[f];
  }
  if (sum > 0) for (let f = 0; f < importances.length; f++) importances[f] /= sum;
  return importances;
}

/** The tree's nodes as they are added, in growable typed arrays. */
class TreeRecorder {
  private count = 0;
  private feature = new Int32Array(64);
  private threshold = new Float32Array(64);
  private left = new Int32Array(64);
  private right = new Int32Array(64);
  private value: Float32Array;

  constructor(private readonly nClasses: number) {
    this.value = new Float32Array(64 * nClasses);
  }

  /**
   * Adds a leaf holding the class shares `totals / weight` (equal shares when `weight` is 0:
   * only the root of a tree without samples), linked from its parent.
   */
  addNode(parent: number, isLeft: boolean, totals: Float64Array, weight: number): number {
    if (this.count === this.feature.length) this.grow();
    const node = this.count++;
    this.feature[node] = -1;
    this.left[node] = -1;
    this.right[node] = -1;
    const base = node * this.nClasses;
    for (let k = 0; k < this.nClasses; k++) {
      this.value[base + k] = weight > 0 ? totals[k] / weight : 1 / this.nClasses;
    }
    if (parent >= 0) {
      if (isLeft) this.left[parent] = node;
      else this.right[parent] = node;
    }
    return node;
  }

  /** Turns the leaf `node` into a split on `feature` at `threshold`. */
  setSplit(node: number, feature: number, threshold: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
  }

  finish(): Omit<FlatTree, 'importances'> {
    const n = this.count;
    return {
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      value: this.value.slice(0, n * this.nClasses),
    };
  }

  private grow(): void {
    const capacity = this.feature.length * 2;
    this.feature = resized(this.feature, capacity);
    this.threshold = resized(this.threshold, capacity);
    this.left = resized(this.left, capacity);
    this.right = resized(this.right, capacity);
    this.value = resized(this.value, capacity * this.nClasses);
  }
}

/** Nodes waiting to be grown (a depth-first stack), with their class totals. */
class PendingNodes {
  size = 0;
  private ranges = new Int32Array(6 * 16);
  private totals: Float64Array;

  constructor(private readonly nClasses: number) {
    this.totals = new Float64Array(16 * nClasses);
  }

  push(
    start: number,
    end: number,
    depth: number,
    parent: number,
    isLeft: boolean,
    knownConstants: number,
    totals: Float64Array,
  ): void {
    if (6 * (this.size + 1) > this.ranges.length) {
      this.ranges = resized(this.ranges, this.ranges.length * 2);
      this.totals = resized(this.totals, this.totals.length * 2);
    }
    const at = 6 * this.size;
    this.ranges[at] = start;
    this.ranges[at + 1] = end;
    this.ranges[at + 2] = depth;
    this.ranges[at + 3] = parent;
    this.ranges[at + 4] = isLeft ? 1 : 0;
    this.ranges[at + 5] = knownConstants;
    for (let k = 0; k < this.nClasses; k++) {
      this.totals[this.size * this.nClasses + k] = totals[k];
    }
    this.size++;
  }

  /** Removes the newest node; its class totals are copied into `totals`. */
  pop(totals: Float64Array) {
    this.size--;
    const at = 6 * this.size;
    for (let k = 0; k < this.nClasses; k++) totals[k] = this.totals[this.size * this.nClasses + k];
    return {
      start: this.ranges[at],
      end: this.ranges[at + 1],
      depth: this.ranges[at + 2],
      parent: this.ranges[at + 3],
      isLeft: this.ranges[at + 4] === 1,
      knownConstants: this.ranges[at + 5],
    };
  }
}

function resized<T extends Int32Array | Float32Array | Float64Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array.subarray(0, Math.min(array.length, length)));
  return bigger;
}
