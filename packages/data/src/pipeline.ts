import {
  NotFittedError,
  Tensor,
  TypedlearnError,
  toFloat32Matrix,
  WorkerPool,
  type DType,
  withPool,
  type MatrixInput,
} from '@typedlearn/tensor';
import { checkFeatureNames, checkedFeatureNames, isTable, type Table } from './table.js';
import type { Transformer } from './transforms/transformer.js';

/** A class label: what a pipeline's estimator learns to predict. */
export type PipelineLabel = number | string | boolean;

/**
 * What a {@link Pipeline} needs of its final step: anything with `fit` (synchronous or
 * returning a promise), and whichever of `predict`, `predictProba`, `decisionFunction` and
 * `score` it has. Every typedlearn classifier qualifies.
 */
export interface PipelineEstimator<FitOptions = never> {
  fit(X: MatrixInput, y: ArrayLike<PipelineLabel>, options?: FitOptions): unknown;
  predict?(X: MatrixInput): ArrayLike<PipelineLabel>;
  predictProba?(X: MatrixInput): Tensor;
  decisionFunction?(X: MatrixInput): Tensor;
  score?(X: MatrixInput, y: ArrayLike<PipelineLabel>): number;
  readonly isFitted?: boolean;
}

/** The `options` argument type of an estimator's `fit`. */
export type FitOptionsOf<E> = E extends { fit(X: never, y: never, options?: infer O): unknown }
  ? O
  : never;

/** What a Pipeline takes as its samples: a matrix, or a {@link Table} of named columns. */
export type PipelineInput = MatrixInput | Table;

/**
 * A chain of transforms ending in an estimator (scikit-learn's `Pipeline`): `fit` fits each
 * transform on the output of the one before and then the estimator on the last output, and
 * `predict` sends new data through the same fitted steps. Saving a pipeline's transform
 * states next to its estimator's state makes a model file carry its preprocessing. Fitted on
 * a {@link Table} (what `readCsv` returns), it keeps the column names and refuses a table of
 * other columns, or another order, when it predicts (the names live with the fitted object;
 * a model file keeps them only for a bare classifier).
 *
 * ```ts
 * const model = new Pipeline([new StandardScaler(), new PCA({ nComponents: 50 })], new SVC());
 * await model.fit(X, y, { seed: 0 });
 * model.predict(Xtest);
 * ```
 */
export class Pipeline<E extends PipelineEstimator<never> = PipelineEstimator<never>> {
  /** The transforms, applied in order. */
  readonly transforms: readonly Transformer[];
  /** The final estimator. */
  readonly estimator: E;
  private fittedFeatureNames: readonly string[] | undefined;

  constructor(transforms: readonly Transformer[], estimator: E) {
    this.transforms = Object.freeze([...transforms]);
    this.estimator = estimator;
  }

  /** The column names of the table `fit` was given; undefined after a fit on a matrix. */
  get featureNames(): readonly string[] | undefined {
    return this.fittedFeatureNames;
  }

  /** True when every transform is fitted and the estimator reports itself fitted. */
  get isFitted(): boolean {
    return this.transforms.every((t) => t.isFitted) && this.estimator.isFitted !== false;
  }

  /**
   * Fits each transform in turn (`fitTransform`), then awaits the estimator's `fit` with
   * `options`; resolves to this pipeline. With `options.pool`, or `options.threads` above 1,
   * the transforms fit on those threads where they can (`fitTransformOn`: PCA's covariance),
   * with the same result. An aborted `options.signal` stops it between steps.
   * As in scikit-learn, steps are fitted in place: when a later step fails or is aborted, the
   * transforms fitted before it keep their new state.
   */
  async fit(
    X: PipelineInput,
    y: ArrayLike<PipelineLabel>,
    options?: FitOptionsOf<E>,
  ): Promise<this> {
    const { signal, threads, pool } = (options ?? {}) as {
      signal?: AbortSignal;
      threads?: unknown;
      pool?: unknown;
    };
    const { matrix, featureNames } = tableParts(X);
    let features: MatrixInput = matrix;
    const fitTransformsOn = async (on: WorkerPool) => {
      for (const transform of this.transforms) {
        signal?.throwIfAborted();
        features = await transform.fitTransformOn(on, features, y);
      }
    };
    if (pool instanceof WorkerPool) {
      await fitTransformsOn(pool);
    } else {
      // A pool of 1 runs everything here. Threads start at the first task, so transforms
      // without any (scalers) start none; a bad thread count is the estimator's to refuse.
      const valid = typeof threads === 'number' && Number.isInteger(threads) && threads <= 256;
      await withPool(valid && threads > 1 ? threads : 1, fitTransformsOn);
    }
    signal?.throwIfAborted();
    await this.estimator.fit(features, y, options as never);
    this.fittedFeatureNames = featureNames;
    return this;
  }

  /**
   * `X` sent through every fitted transform: what the estimator sees (`X` itself as a matrix
   * when there are no transforms).
   */
  preprocess(X: PipelineInput): Tensor<DType> {
    const { matrix, featureNames } = tableParts(X);
    checkFeatureNames(this.fittedFeatureNames, featureNames);
    let features: Tensor<DType> | undefined;
    for (const transform of this.transforms) {
      if (!transform.isFitted) {
        throw new NotFittedError(
          `this Pipeline's ${transform.constructor.name} is not fitted: call fit(X, y) first`,
        );
      }
      features = transform.transform(features ?? matrix);
    }
    return features ?? (matrix instanceof Tensor ? matrix : toFloat32Matrix(matrix));
  }

  /** The estimator's `predict` on the preprocessed `X`. */
  predict(X: PipelineInput): ReturnType<NonNullable<E['predict']>> {
    return this.method('predict')(this.preprocess(X)) as ReturnType<NonNullable<E['predict']>>;
  }

  /** The estimator's `predictProba` on the preprocessed `X`. */
  predictProba(X: PipelineInput): Tensor {
    return this.method('predictProba')(this.preprocess(X));
  }

  /** The estimator's `decisionFunction` on the preprocessed `X`. */
  decisionFunction(X: PipelineInput): Tensor {
    return this.method('decisionFunction')(this.preprocess(X));
  }

  /** The estimator's `score` on the preprocessed `X` against `y`. */
  score(X: PipelineInput, y: ArrayLike<PipelineLabel>): number {
    return this.method('score')(this.preprocess(X), y);
  }

  private method<M extends 'predict' | 'predictProba' | 'decisionFunction' | 'score'>(
    name: M,
  ): NonNullable<PipelineEstimator[M]> {
    const method = this.estimator[name];
    if (typeof method !== 'function') {
      throw new TypedlearnError(
        `this Pipeline's estimator (${this.estimator.constructor.name}) has no ${name} method`,
      );
    }
    return method.bind(this.estimator) as NonNullable<PipelineEstimator[M]>;
  }
}

/** The matrix and the column names (for a table, checked) of a Pipeline's input. */
function tableParts(X: PipelineInput): { matrix: MatrixInput; featureNames?: string[] } {
  if (!isTable(X)) return { matrix: X };
  const matrix = toFloat32Matrix(X.X);
  return { matrix, featureNames: checkedFeatureNames(X, matrix.shape[1]) };
}
