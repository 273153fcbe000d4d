import { allocate, type Tensor } from '@typedlearn/tensor';
import { describeHyperParameters } from '../hyper-parameters.js';
import type { Fitted } from '../base-classifier.js';
import { resolveFitWeights } from '../class-weight.js';
import type { ModelState, ResolvedFitOptions } from '../classifier.js';
import { binFeatures } from './feature-binning.js';
import { growTree } from './grow-tree.js';
import { treeRng } from './grow-tree-task.js';
import { assembleEnsemble, ensembleFromState, type TreeEnsemble } from './tree-ensemble.js';
import { TreeEnsembleClassifier, type TreeFitInfo } from './tree-ensemble-classifier.js';
import {
  TREE_OPTION_DESCRIPTIONS,
  growthRules,
  validateTreeOptions,
  type TreeOptions,
} from './tree-options.js';

/** Hyper-parameters of {@link DecisionTreeClassifier}; see {@link TreeOptions} for each. */
export type DecisionTreeOptions = TreeOptions;

/** scikit-learn's `DecisionTreeClassifier()` defaults (every feature examined at each node). */
export const DECISION_TREE_DEFAULTS: Readonly<DecisionTreeOptions> = Object.freeze({
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'all',
  classWeight: null,
  maxBins: 256,
});

/** Each hyper-parameter of {@link DecisionTreeClassifier}, with its default and meaning. */
export const DECISION_TREE_PARAMETERS = describeHyperParameters(
  DECISION_TREE_DEFAULTS,
  TREE_OPTION_DESCRIPTIONS,
);

/**
 * A CART classification tree (Breiman et al. 1984; scikit-learn's `DecisionTreeClassifier`):
 * grown depth-first, each node taking the split that lowers the Gini index (or entropy) most,
 * found on histograms of features binned once to at most `maxBins` levels.
 *
 * ```ts
 * const tree = await new DecisionTreeClassifier({ maxDepth: 8 }).fit(X, y);
 * tree.predictProba(Xtest); // class shares of the training samples in each leaf reached
 * ```
 *
 * The seed orders the features examined at each node, which only matters between equally
 * good splits (or when `maxFeatures` is below the feature count). `threads` is not used: one
 * tree grows on one thread.
 *
 * With `sampleWeight` (as scikit-learn's `fit(X, y, sample_weight)`), each sample's weight,
 * times its class weight, weighs it in the impurities and the leaves' class shares, so an
 * integer weight acts as that many copies of the sample; samples of weight 0 are left out.
 * `minSamplesSplit` and `minSamplesLeaf` count samples of positive weight, not weight.
 */
export class DecisionTreeClassifier extends TreeEnsembleClassifier<DecisionTreeOptions> {
  readonly modelType = 'decision-tree';

  constructor(options?: Partial<DecisionTreeOptions>) {
    super('DecisionTreeClassifier', { ...DECISION_TREE_DEFAULTS }, options);
  }

  /** Restores a fitted tree from {@link DecisionTreeClassifier.toState}'s output, validating it. */
  static fromState(state: ModelState): DecisionTreeClassifier {
    const model = new DecisionTreeClassifier(state.params as Partial<DecisionTreeOptions>);
    const ensemble = ensembleFromState(state, 'DecisionTreeClassifier', 'decision-tree', 1);
    return model.restore(state, ensemble);
  }

  protected validateParams(params: DecisionTreeOptions): void {
    validateTreeOptions('DecisionTreeClassifier', params);
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<TreeEnsemble, TreeFitInfo>> {
    const [rows, cols] = X.matrixShape('X');
    const rules = growthRules('DecisionTreeClassifier', this.params, cols);
    const binned = binFeatures(X.contiguousData(), rows, cols, this.params.maxBins, allocate);
    const { combined } = resolveFitWeights(
      this.params.classWeight,
      y,
      nClasses,
      options.sampleWeight,
    );
    const tree = growTree(binned, y, nClasses, combined, null, rules, treeRng(options.seed, 0));
    options.onProgress({ stage: 'tree', step: 1, total: 1 });
    return { state: assembleEnsemble([tree], nClasses), info: { nodeCount: tree.feature.length } };
  }
}
