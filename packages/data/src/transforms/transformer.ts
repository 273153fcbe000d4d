import {
  NotFittedError,
  Tensor,
  type DType,
  type MatrixInput,
  type WorkerPool,
} from '@typedlearn/tensor';
import { checkFeatureCount, featureMatrix, type FeatureMatrix } from './feature-matrix.js';
import { resolveOptions } from './options.js';

/**
 * Everything a fitted transform is, as plain data: its registered type, its options and the
 * learned numbers. Model files store exactly this, and `transformFromState` (or each class's
 * static `fromState`) restores a transform that gives identical output.
 */
export interface TransformState {
  /** Registered transform type, e.g. 'standard-scaler', 'pca'. */
  transformType: string;
  /** The options, as resolved at construction (JSON-able). */
  params: Record<string, unknown>;
  /** Number of input features seen in `fit`. */
  nFeatures: number;
  /** The learned numbers. */
  tensors: Record<string, Tensor<DType>>;
}

/**
 * A preprocessing step in scikit-learn's shape: `fit` learns from `X` [samples, features],
 * `transform` applies what it learned to any `X` with the same features and returns float32.
 */
export interface Transformer {
  /** The registered type name used in model files. */
  readonly transformType: string;
  /** Options with defaults applied. */
  readonly params: Readonly<Record<string, unknown>>;
  /** True once `fit` (or a restore from a state) has completed. */
  readonly isFitted: boolean;
  /** Learns from `X`; labels `y` are accepted (and ignored) so pipelines can pass them on. */
  fit(X: MatrixInput, y?: ArrayLike<unknown>): this;
  /** Applies the fitted transform to `X`; throws NotFittedError before `fit`. */
  transform(X: MatrixInput): Tensor;
  /** `fit(X, y)` then `transform(X)`. */
  fitTransform(X: MatrixInput, y?: ArrayLike<unknown>): Tensor;
  /**
   * `fitTransform(X, y)` with the fit's heavy loops on the threads of `pool`, where the
   * transform has them (PCA's covariance): the same result, bit for bit.
   */
  fitTransformOn(pool: WorkerPool, X: MatrixInput, y?: ArrayLike<unknown>): Promise<Tensor>;
  /** The fitted transform as plain data. */
  toState(): TransformState;
}

/**
 * The shared half of every transform: option checking, input validation, the fitted/not
 * fitted life cycle and state export. A subclass supplies the algorithm on clean input (a
 * contiguous finite float32 matrix).
 */
export abstract class BaseTransformer<Params extends object, State> implements Transformer {
  abstract readonly transformType: string;
  readonly params: Readonly<Params>;
  #fitted: { nFeatures: number; state: State } | undefined;

  protected constructor(defaults: Params, options: Partial<Params> | undefined) {
    const params = resolveOptions(new.target.name, defaults, options);
    this.validateParams(params);
    this.params = Object.freeze(params);
  }

  /** Throws a ValueError naming any option that is out of range. */
  protected abstract validateParams(params: Params): void;

  /** Learns the state from validated input. */
  protected abstract fitMatrix(x: FeatureMatrix): State;

  /** {@link fitMatrix} on the threads of `pool`; by default on this thread alone. */
  protected fitMatrixOn(x: FeatureMatrix, _pool: WorkerPool): Promise<State> {
    return Promise.resolve(this.fitMatrix(x));
  }

  /** {@link transformMatrix} on the threads of `pool`; by default on this thread alone. */
  protected transformMatrixOn(x: FeatureMatrix, state: State, _pool: WorkerPool): Promise<Tensor> {
    return Promise.resolve(this.transformMatrix(x, state));
  }

  /** Applies the state to validated input with the fitted number of features. */
  protected abstract transformMatrix(x: FeatureMatrix, state: State): Tensor;

  /** The state's learned numbers as named tensors. */
  protected abstract stateTensors(state: State): Record<string, Tensor<DType>>;

  get isFitted(): boolean {
    return this.#fitted !== undefined;
  }

  /** Number of features seen in `fit`. Throws NotFittedError before `fit`. */
  get nFeatures(): number {
    return this.requireFitted().nFeatures;
  }

  /** The fitted state; throws NotFittedError before `fit`. */
  protected get state(): State {
    return this.requireFitted().state;
  }

  fit(X: MatrixInput, _y?: ArrayLike<unknown>): this {
    this.fitOn(featureMatrix(X, this.constructor.name));
    return this;
  }

  transform(X: MatrixInput): Tensor {
    const { nFeatures, state } = this.requireFitted();
    const x = featureMatrix(X, this.constructor.name);
    checkFeatureCount(this.constructor.name, x.cols, nFeatures);
    return this.transformMatrix(x, state);
  }

  fitTransform(X: MatrixInput, _y?: ArrayLike<unknown>): Tensor {
    // fit(X) then transform(X), with X validated (a pass over every value) once.
    const x = featureMatrix(X, this.constructor.name);
    return this.transformMatrix(x, this.fitOn(x));
  }

  async fitTransformOn(pool: WorkerPool, X: MatrixInput, _y?: ArrayLike<unknown>): Promise<Tensor> {
    const x = featureMatrix(X, this.constructor.name);
    const state = await this.fitMatrixOn(x, pool);
    this.restore(x.cols, state);
    return this.transformMatrixOn(x, state, pool);
  }

  toState(): TransformState {
    const { nFeatures, state } = this.requireFitted();
    return {
      transformType: this.transformType,
      params: { ...this.params },
      nFeatures,
      tensors: this.stateTensors(state),
    };
  }

  /** Installs a state restored by a subclass's `fromState`, as if `fit` had produced it. */
  protected restore(nFeatures: number, state: State): this {
    this.#fitted = { nFeatures, state };
    return this;
  }

  /** Fits on validated input and returns the state. */
  private fitOn(x: FeatureMatrix): State {
    const state = this.fitMatrix(x);
    this.restore(x.cols, state);
    return state;
  }

  private requireFitted(): { nFeatures: number; state: State } {
    if (this.#fitted === undefined) {
      throw new NotFittedError(
        `this ${this.constructor.name} is not fitted yet: call fit(X) before using it`,
      );
    }
    return this.#fitted;
  }
}
