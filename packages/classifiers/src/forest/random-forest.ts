import {
  ValueError,
  WorkerPool,
  allocateShared,
  defineTask,
  withPool,
  type Tensor,
} from '@typedlearn/tensor';
import type { Fitted } from '../base-classifier.js';
import type { ModelState, ResolvedFitOptions } from '../classifier.js';
import { checkNumber } from '../params.js';
import { binFeatures } from './feature-binning.js';
import type { FlatTree } from './grow-tree.js';
import type { TreeJob } from './grow-tree-task.js';
import { outOfBagScore } from './out-of-bag.js';
import {
  assembleEnsemble,
  ensembleFromTensors,
  nodeCount,
  type TreeEnsemble,
} from './tree-ensemble.js';
import { rowMajor, TreeEnsembleClassifier } from './tree-ensemble-classifier.js';
import {
  classWeights,
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
 */
export class RandomForestClassifier extends TreeEnsembleClassifier<RandomForestOptions> {
  readonly modelType = 'forest';

  constructor(options?: Partial<RandomForestOptions>) {
    super('RandomForestClassifier', { ...RANDOM_FOREST_DEFAULTS }, options);
  }

  /** Restores a fitted forest from {@link RandomForestClassifier.toState}'s output, validating it. */
  static fromState(state: ModelState): RandomForestClassifier {
    const model = new RandomForestClassifier(state.params as Partial<RandomForestOptions>);
    const ensemble = ensembleFromTensors(
      state.tensors,
      state.classes.length,
      state.nFeatures,
      model.params.nEstimators,
    );
    return model.restore(Int32Array.from(state.classes), state.nFeatures, ensemble, state.info);
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
    for (const name of ['bootstrap', 'oobScore'] as const) {
      if (typeof params[name] !== 'boolean') {
        throw new ValueError(
          `${owner}: ${name} must be true or false, got ${String(params[name])}`,
        );
      }
    }
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
  ): Promise<Fitted<TreeEnsemble>> {
    const { nEstimators, maxBins, bootstrap } = this.params;
    const [rows, cols] = X.matrixShape('X');
    const x = rowMajor(X, rows, cols);
    const shared = options.threads > 1;
    const classWeight = classWeights(this.params.classWeight, y, nClasses);
    const rules = growthRules('RandomForestClassifier', this.params, cols);
    const trees = await withPool(options.threads, async (pool) => {
      // The worker threads start up, and import the tree task, while this thread bins the
      // features.
      await pool.start([GROW_TREE]);
      const binned = binFeatures(x, rows, cols, maxBins, shared ? 'shared' : 'local');
      const labels = shared ? allocateShared('int32', rows) : y;
      if (shared) labels.set(y);
      const job = (treeIndex: number): TreeJob => ({
        binned,
        y: labels,
        nClasses,
        classWeight,
        rules,
        bootstrap,
        seed: options.seed,
        treeIndex,
      });
      return growTrees(pool, nEstimators, job, options);
    });
    const ensemble = assembleEnsemble(trees, nClasses);
    const info: Record<string, unknown> = { nodeCount: nodeCount(ensemble) };
    if (this.params.oobScore) info.oobScore = outOfBagScore(ensemble, x, cols, y, options.seed);
    return { state: ensemble, info };
  }
}

/**
 * Grows `count` trees on the pool, keeping every thread busy; reports progress after each
 * tree and checks the abort signal before starting the next.
 */
async function growTrees(
  pool: WorkerPool,
  count: number,
  job: (treeIndex: number) => TreeJob,
  { signal, onProgress }: ResolvedFitOptions,
): Promise<FlatTree[]> {
  const trees: FlatTree[] = new Array(count);
  let next = 0;
  let done = 0;
  const lane = async () => {
    for (let treeIndex = next++; treeIndex < count; treeIndex = next++) {
      // Let timers and abort events run between trees (the inline pool never yields otherwise).
      await new Promise((resolve) => setTimeout(resolve, 0));
      signal?.throwIfAborted();
      trees[treeIndex] = await pool.run<TreeJob, FlatTree>(GROW_TREE, job(treeIndex));
      onProgress({ stage: 'tree', step: ++done, total: count });
    }
  };
  // With worker threads, one lane more than threads keeps a tree queued in the pool, which hands
  // it to a thread the moment the thread replies instead of after a lane's next turn of the
  // event loop: the threads' idle time between trees fell from about 3 to 1.2 ms per tree.
  const lanes = pool.threads > 1 ? pool.threads + 1 : 1;
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
  return trees;
}
