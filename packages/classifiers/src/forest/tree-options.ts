import { ValueError } from '@typedlearn/tensor';
import { CLASS_WEIGHT_DESCRIPTION, checkClassWeight, type ClassWeight } from '../class-weight.js';
import { checkChoice, checkNumber } from '../params.js';
import { MAX_BINS } from './feature-binning.js';
import type { GrowthRules } from './grow-tree.js';
import type { Criterion } from './impurity.js';

/**
 * How many features a node examines: `'sqrt'` (floor of the square root of the feature count),
 * `'log2'`, `'all'`, an integer count >= 1, or a fraction in (0, 1) of the features (at least 1).
 */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

/** Hyper-parameters shared by {@link DecisionTreeClassifier} and {@link RandomForestClassifier}. */
export interface TreeOptions {
  /** Impurity a split lowers: `'gini'` or `'entropy'` (Shannon, in bits). Default `'gini'`. */
  criterion: Criterion;
  /** Deepest level of a node (the root is depth 0), an integer >= 1; null for no limit. Default null. */
  maxDepth: number | null;
  /** Fewest samples a node must hold to be split, an integer >= 2. Default 2. */
  minSamplesSplit: number;
  /** Fewest samples each child of a split must hold, an integer >= 1. Default 1. */
  minSamplesLeaf: number;
  /** Features examined per node (see {@link MaxFeatures}). Default `'all'` for a tree, `'sqrt'` for a forest. */
  maxFeatures: MaxFeatures;
  /**
   * `'balanced'` weighs class k by W / (nClasses * W_k), W_k the total sample weight of class
   * k (nSamples / (nClasses * count_k) without `sampleWeight`), so rare classes count as much
   * as common ones; null weighs every class 1 (see {@link ClassWeight}). Default null.
   */
  classWeight: ClassWeight;
  /** Most bins per feature (2..256) for histogram split finding. Default 256. */
  maxBins: number;
}

/** A one-line meaning of each {@link TreeOptions} field, for the models' hyper-parameter lists. */
export const TREE_OPTION_DESCRIPTIONS: { readonly [K in keyof TreeOptions]: string } = {
  criterion: "impurity a split lowers: 'gini' or 'entropy'",
  maxDepth: 'deepest level of a node (integer >= 1), or null for no limit',
  minSamplesSplit: 'fewest samples a node must hold to be split (integer >= 2)',
  minSamplesLeaf: 'fewest samples each child of a split must hold (integer >= 1)',
  maxFeatures: "features examined per node: 'all', 'sqrt', 'log2', a count or a fraction",
  classWeight: CLASS_WEIGHT_DESCRIPTION,
  maxBins: 'most bins per feature for histogram split finding (2..256)',
};

/** Throws a {@link ValueError} naming any shared tree hyper-parameter that is out of range. */
export function validateTreeOptions(owner: string, options: TreeOptions): void {
  checkChoice(owner, 'criterion', options.criterion, ['gini', 'entropy'] as const);
  if (options.maxDepth !== null) {
    checkNumber(owner, 'maxDepth', options.maxDepth, { integer: true, min: 1 });
  }
  checkNumber(owner, 'minSamplesSplit', options.minSamplesSplit, { integer: true, min: 2 });
  checkNumber(owner, 'minSamplesLeaf', options.minSamplesLeaf, { integer: true, min: 1 });
  const { maxFeatures } = options;
  if (typeof maxFeatures === 'string') {
    checkChoice(owner, 'maxFeatures', maxFeatures, ['sqrt', 'log2', 'all'] as const);
  } else if (
    !(typeof maxFeatures === 'number' && maxFeatures > 0 && maxFeatures < 1) &&
    !(Number.isInteger(maxFeatures) && maxFeatures >= 1)
  ) {
    throw new ValueError(
      `${owner}: maxFeatures must be 'sqrt', 'log2', 'all', an integer >= 1 or a fraction in (0, 1), got ${String(maxFeatures)}`,
    );
  }
  checkClassWeight(owner, options.classWeight);
  checkNumber(owner, 'maxBins', options.maxBins, { integer: true, min: 2, max: MAX_BINS });
}

/** The growth rules for `nFeatures` features; an integer `maxFeatures` above it is a {@link ValueError}. */
export function growthRules(owner: string, options: TreeOptions, nFeatures: number): GrowthRules {
  return {
    criterion: options.criterion,
    maxDepth: options.maxDepth ?? Infinity,
    minSamplesSplit: options.minSamplesSplit,
    minSamplesLeaf: options.minSamplesLeaf,
    maxFeatures: featureCount(owner, options.maxFeatures, nFeatures),
  };
}

/** scikit-learn's rules: sqrt and log2 and fractions round down, but never below 1. */
function featureCount(owner: string, maxFeatures: MaxFeatures, nFeatures: number): number {
  switch (maxFeatures) {
    case 'all':
      return nFeatures;
    case 'sqrt':
      return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
    case 'log2':
      return Math.max(1, Math.floor(Math.log2(nFeatures)));
  }
  if (maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * nFeatures));
  if (maxFeatures > nFeatures) {
    throw new ValueError(
      `${owner}: maxFeatures is ${maxFeatures} but X has only ${nFeatures} features; expected at most ${nFeatures}`,
    );
  }
  return maxFeatures;
}
