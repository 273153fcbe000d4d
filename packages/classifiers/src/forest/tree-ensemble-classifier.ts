import { Tensor, type DType } from '@typedlearn/tensor';
import type { FeaturesInput } from '../input.js';
import { BaseClassifier } from '../base-classifier.js';
import {
  argmaxClasses,
  ensembleProba,
  ensembleTensors,
  nodeCount,
  type TreeEnsemble,
} from './tree-ensemble.js';
import type { TreeOptions } from './tree-options.js';

/**
 * What a decision tree and a random forest share once fitted: a {@link TreeEnsemble} that
 * predicts by averaging its leaves' class shares, feature importances and the model-file form.
 */
/** What a tree or forest records about its fit in `info`. */
export interface TreeFitInfo {
  /** Nodes in all the fitted trees. */
  nodeCount: number;
  /** The out-of-bag accuracy, when a forest was fitted with `oobScore: true`. */
  oobScore?: number;
}

export abstract class TreeEnsembleClassifier<Options extends TreeOptions> extends BaseClassifier<
  Options,
  TreeEnsemble,
  TreeFitInfo
> {
  /**
   * Mean decrease in impurity of each feature, normalised to sum to 1 (scikit-learn's
   * `feature_importances_`; all zeros when no tree split). A copy.
   */
  get featureImportances(): Float32Array {
    return this.state.importances.slice();
  }

  /** Total number of nodes in the fitted trees. */
  get nodeCount(): number {
    return nodeCount(this.state);
  }

  /**
   * Class probabilities `[samples, classes]`: for each tree the class shares of the training
   * samples in the leaf the sample reaches, averaged over the trees.
   */
  predictProba(X: FeaturesInput): Tensor {
    const x = this.checkInput(X);
    const [rows, cols] = x.matrixShape('X');
    const { nClasses } = this.state;
    const proba = ensembleProba(this.state, x.contiguousData(), rows, cols);
    return new Tensor(proba, [rows, nClasses]);
  }

  protected predictEncoded(X: Tensor): Int32Array {
    const [rows, cols] = X.matrixShape('X');
    const { nClasses } = this.state;
    const proba = ensembleProba(this.state, X.contiguousData(), rows, cols);
    return argmaxClasses(proba, rows, nClasses);
  }

  protected stateTensors(state: TreeEnsemble): Record<string, Tensor<DType>> {
    return ensembleTensors(state);
  }
}
