import type { Label } from '@typedlearn/metrics';
import type { DType, Tensor, WorkerPool } from '@typedlearn/tensor';
import type { FeaturesInput, Labels } from './input.js';

/**
 * One progress report from a long `fit`: `step` of `total` units of `stage` are done.
 * Fields that a model knows (loss, accuracies) are filled in so callers can plot them.
 */
export interface FitProgress {
  /** The unit being counted: 'iteration', 'epoch', 'tree', 'pair', ... */
  stage: string;
  step: number;
  total: number;
  loss?: number;
  trainAccuracy?: number;
  validationAccuracy?: number;
}

/** Options of a single `fit` call, as opposed to the model's hyper-parameters. */
export interface FitOptions {
  /** Called as work progresses; never called after `fit` settles. */
  onProgress?: (progress: FitProgress) => void;
  /** Aborting it makes `fit` reject with the signal's reason and leaves the model unchanged. */
  signal?: AbortSignal;
  /** Seed for everything random. Default 0: the same seed gives the same model. */
  seed?: number;
  /** Worker threads. Default 1 (inline). Any thread count gives the same model. */
  threads?: number;
  /**
   * Run on the threads of this pool instead of starting `threads` new ones (`threads`, if
   * given too, must equal its thread count): several fits in a row then start threads once.
   * The pool stays open after the fit, and its threads keep the scratch memory fits leave in
   * them until it closes; aborting the fit closes it, since that is what stops its tasks.
   */
  pool?: WorkerPool;
  /**
   * A weight per sample (finite, >= 0, not all 0): a sample of weight 2 counts as two copies
   * of it, one of weight 0 as absent. Default: every sample weighs 1.
   */
  sampleWeight?: ArrayLike<number>;
}

/**
 * Options of one `partialFit` call: those of `fit`, which apply to the rows of this call
 * (`seed` shuffles them, `sampleWeight` weighs them), and the classes.
 */
export interface PartialFitOptions extends FitOptions {
  /**
   * Every label the model is to know, as scikit-learn's `partial_fit(classes=...)`: required
   * on the first call to an unfitted model, since one batch may hold only some of them. A
   * fitted model (by `fit`, `partialFit` or from a file) keeps its classes; a list given then
   * must name the same labels.
   */
  classes?: ArrayLike<Label>;
}

/** {@link FitOptions} after validation, with defaults filled in. */
export interface ResolvedFitOptions {
  /** The caller's callback, or one that does nothing. */
  onProgress: (progress: FitProgress) => void;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
  /** Default 0. */
  seed: number;
  /** Default 1; the pool's thread count when a pool is given. */
  threads: number;
  /** The caller's pool, if any. */
  pool: WorkerPool | undefined;
  /** One finite weight >= 0 per sample, validated; null when every sample weighs 1. */
  sampleWeight: Float64Array | null;
}

/**
 * Everything a fitted model is, as plain data: JSON-able fields plus named tensors.
 * Model files (safetensors) store exactly this, so `fromState(toState())` restores a model
 * that predicts identically.
 */
export interface ModelState {
  /** Registered model type, e.g. 'softmax', 'svm', 'forest', 'mlp'. */
  modelType: string;
  /** The hyper-parameters, as passed to the constructor after defaults were applied. */
  params: Record<string, unknown>;
  /** The class labels (integers, strings or booleans), in the order of the model's outputs. */
  classes: Label[];
  /** Number of input features the model was fitted on. */
  nFeatures: number;
  /** The features' names, when the model was fitted on a table that has them. */
  featureNames?: string[];
  /** Other JSON-able fitted facts (training history, counts, ...). */
  info: Record<string, unknown>;
  /** The learned numbers. */
  tensors: Record<string, Tensor<DType>>;
}

/**
 * The contract every typedlearn classifier keeps, in the shape of scikit-learn's estimators:
 * hyper-parameters go to the constructor, `fit` learns, and the fitted state is separate
 * and read-only afterwards.
 */
export interface Classifier {
  /** The registered type name used in model files. */
  readonly modelType: string;
  /** Hyper-parameters with defaults applied. */
  readonly params: Readonly<Record<string, unknown>>;
  /** True once `fit` or `partialFit` (or a restore from a model file) has completed. */
  readonly isFitted: boolean;
  /** Sorted distinct labels seen in `fit`. Throws `NotFittedError` before `fit`. */
  readonly classes: Labels;
  /** Number of features seen in `fit`. Throws `NotFittedError` before `fit`. */
  readonly nFeatures: number;
  /** The features' names, when fitted on a table ({@link FeaturesInput}); otherwise undefined. */
  readonly featureNames: readonly string[] | undefined;
  /**
   * Learns from `X` [samples, features] (a float32 Tensor, an array of rows, a flat float array
   * with its shape, or a table: {@link FeaturesInput}) and labels `y` (integers, strings or
   * booleans); resolves to this model.
   */
  fit(X: FeaturesInput, y: ArrayLike<Label>, options?: FitOptions): Promise<this>;
  /**
   * One more pass (epoch) over the rows of `X` in mini-batches, continuing from the model's
   * parameters and its optimiser's state (scikit-learn's `partial_fit`), where the model can
   * learn incrementally; resolves to this model. The first call to an unfitted model needs
   * `options.classes`.
   */
  partialFit?(X: FeaturesInput, y: ArrayLike<Label>, options?: PartialFitOptions): Promise<this>;
  /** The predicted label of each row of `X`, of the type the model was fitted on. */
  predict(X: FeaturesInput): Labels;
  /** Class probabilities [samples, classes] in the order of `classes`, where the model has them. */
  predictProba?(X: FeaturesInput): Tensor;
  /**
   * Decision values where the model has them instead of (or besides) probabilities: the SVC's
   * one-vs-one values (see `ovrDecisionScores` for one score per class).
   */
  decisionFunction?(X: FeaturesInput): Tensor;
  /** Mean accuracy of `predict(X)` against `y`. */
  score(X: FeaturesInput, y: ArrayLike<Label>): number;
  /** The fitted model as plain data, for model files. */
  toState(): ModelState;
  /** A copy of the hyper-parameters. */
  getParams(): object;
  /** A new, unfitted classifier of the same kind with `overrides` over these hyper-parameters. */
  withParams(overrides?: object): Classifier;
  /** A new, unfitted classifier of the same kind and hyper-parameters. */
  clone(): Classifier;
}
