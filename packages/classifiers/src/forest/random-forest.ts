import { ValueError, allocatorFor, defineTask, sharedCopy, type Tensor } from '@typedlearn/tensor';
import { describeHyperParameters } from '../hyper-parameters.js';
import type { Fitted } from '../base-classifier.js';
import { resolveFitWeights } from '../class-weight.js';
import type { ModelState, ResolvedFitOptions } from '../classifier.js';
import { runFit } from '../parallel/fit-pool.js';
import { checkBoolean, checkNumber } from '../params.js';
import { binFeatures } from './feature-binning.js';
import type { FlatTree } from './grow-tree.js';
import type { TreeJob } from './grow-tree-task.js';
import { outOfBagScore } from './out-of-bag.js';
import {
  assembleEnsemble,
  ensembleFromState,
  nodeCount,
  type TreeEnsemble,
} from './tree-ensemble.js';
import { TreeEnsembleClassifier, type TreeFitInfo } from './tree-ensemble-classifier.js';
import {
  TREE_OPTION_DESCRIPTIONS,
  growthRules,
  validateTreeOptions,
  type TreeOptions,
} from './tree-options.js';

/** Hyper-parameters of {@link RandomForestClassifier}. */
export interface RandomForestOptions extends TreeOptions {
  /** Number of trees, an integer >= 1. Default 100. */
  nEstimators: number;
  /** Grow each tree on a bootstrap sample (true) or on every sample (false). Default true. */
  bootstrap: boolean;
  /**
   * Compute the out-of-bag accuracy after fitting ({@link RandomForestClassifier.outOfBagScore});
   * needs `bootstrap`. Default false.
   */
  oobScore: boolean;
}

/** scikit-learn's `RandomForestClassifier()` defaults. */
export const RANDOM_FOREST_DEFAULTS: Readonly<RandomForestOptions> = Object.freeze({
  nEstimators: 100,
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  classWeight: null,
  maxBins: 256,
  bootstrap: true,
  oobScore: false,
});

/** Each hyper-parameter of {@link RandomForestClassifier}, with its default and meaning. */
export const RANDOM_FOREST_PARAMETERS = describeHyperParameters(RANDOM_FOREST_DEFAULTS, {
  nEstimators: 'number of trees (integer >= 1)',
  ...TREE_OPTION_DESCRIPTIONS,
  bootstrap: 'grow each tree on a bootstrap sample (true) or on every sample (false)',
  oobScore: 'compute the out-of-bag accuracy after fitting (needs bootstrap)',
});

const GROW_TREE = defineTask(new URL('./grow-tree-task.js', import.meta.url), 'growTreeTask');

/**
 * A random forest (Breiman, "Random Forests", Machine Learning 45, 2001; scikit-learn's
 * `RandomForestClassifier`): `nEstimators` CART trees, each grown to purity on a bootstrap
 * sample and examining a random `maxFeatures` of the features at each node; the forest's
 * probabilities are the mean of the trees' leaf class shares.
 *
 * ```ts
 * const forest = await new RandomForestClassifier({ oobScore: true }).fit(X, y, { threads: 2 });
 * forest.outOfBagScore; // accuracy estimate from the samples each tree did not see
 * forest.predict(Xtest);
 * ```
 *
 * Features are binned once (at most `maxBins` levels) and the trees grow on `threads` worker
 * threads that share the binned matrix. Tree t draws its randomness from (seed, t) alone, so
 * every thread count gives the same forest.
 *
 * With `sampleWeight`, as in scikit-learn, each tree's bootstrap sample is drawn uniformly,
 * and each sample's drawn count multiplies its weight (times its class weight) in the tree
 * (see {@link DecisionTreeClassifier}); samples of weight 0 are in no tree. So a weight of 2
 * acts as two copies of a sample in expectation, not draw for draw. The out-of-bag score is
 * the sample-weighted accuracy (samples of weight 0 left out), where scikit-learn's
 * `oob_score_` ignores the weights.
 */
export class RandomForestClassifier extends TreeEnsembleClassifier<RandomForestOptions> {
  readonly modelType = 'forest';

  constructor(options?: Partial<RandomForestOptions>) {
    super('RandomForestClassifier', { ...RANDOM_FOREST_DEFAULTS }, options);
  }

  /** Restores a fitted forest from {@link RandomForestClassifier.toState}'s output, validating it. */
  static fromState(state: ModelState): RandomForestClassifier {
    const model = new RandomForestClassifier(state.params as Partial<RandomForestOptions>);
    const ensemble = ensembleFromState(
      state,
      'RandomForestClassifier',
      'forest',
      model.params.nEstimators,
    );
    return model.restore(state, ensemble);
  }

  /**
   * Out-of-bag accuracy of the last fit (with `oobScore: true`); undefined otherwise, or when
   * every sample was in every tree's bootstrap sample.
   */
  get outOfBagScore(): number | undefined {
    const score = this.info.oobScore;
    return typeof score === 'number' ? score : undefined;
  }

  protected validateParams(params: RandomForestOptions): void {
    const owner = 'RandomForestClassifier';
    validateTreeOptions(owner, params);
    checkNumber(owner, 'nEstimators', params.nEstimators, { integer: true, min: 1 });
    checkBoolean(owner, 'bootstrap', params.bootstrap);
    checkBoolean(owner, 'oobScore', params.oobScore);
    if (params.oobScore && !params.bootstrap) {
      throw new ValueError(
        `${owner}: oobScore needs bootstrap: true (without bootstrap no sample is out of bag)`,
      );
    }
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<TreeEnsemble, TreeFitInfo>> {
    const { nEstimators, maxBins, bootstrap } = this.params;
    const [rows, cols] = X.matrixShape('X');
    const x = X.contiguousData();
    const shared = options.threads > 1;
    const weights = resolveFitWeights(this.params.classWeight, y, nClasses, options.sampleWeight);
    const rules = growthRules('RandomForestClassifier', this.params, cols);
    const trees = await runFit(
      options,
      async (pool) => {
        // The worker threads start up, and import the tree task, while this thread bins the
        // features.
        const binned = binFeatures(x, rows, cols, maxBins, allocatorFor(shared));
        const labels = shared ? sharedCopy(y) : y;
        const { combined } = weights;
        const sampleWeight = shared && combined !== null ? sharedCopy(combined) : combined;
        const jobs = Array.from({ length: nEstimators }, (_, treeIndex): TreeJob => ({
          binned,
          y: labels,
          nClasses,
          sampleWeight,
          rules,
          bootstrap,
          seed: options.seed,
          treeIndex,
        }));
        let done = 0;
        return pool.each<TreeJob, FlatTree>(GROW_TREE, jobs, () =>
          options.onProgress({ stage: 'tree', step: ++done, total: nEstimators }),
        );
      },
      [GROW_TREE],
    );
    const ensemble = assembleEnsemble(trees, nClasses);
    const info: TreeFitInfo = { nodeCount: nodeCount(ensemble) };
    if (this.params.oobScore) {
      info.oobScore = outOfBagScore(ensemble, x, cols, y, options.seed, weights.sample);
    }
    return { state: ensemble, info };
  }
}
