import { accuracy, type Label } from '@typedlearn/metrics';
import {
  NotFittedError,
  ShapeError,
  ValueError,
  WorkerPool,
  type DType,
  type Tensor,
} from '@typedlearn/tensor';
import type {
  Classifier,
  FitOptions,
  FitProgress,
  ModelState,
  PartialFitOptions,
  ResolvedFitOptions,
} from './classifier.js';
import {
  asLabels,
  checkFeatureNames,
  checkFeatureCount,
  encodeLabels,
  tableParts,
  type FeaturesInput,
  type Labels,
} from './input.js';
import { checkNumber, resolveParams } from './params.js';

/** What a subclass learns in `fitEncoded`: its own fitted state plus JSON-able facts. */
export interface Fitted<State, Info extends object = Record<string, unknown>> {
  state: State;
  /** JSON-able facts worth keeping in a model file (history, counts, ...). */
  info?: Info;
}

/**
 * The shared half of every classifier: option handling, validation at the boundary, label
 * encoding, the fitted/not-fitted life cycle and `score`. A subclass supplies only the
 * algorithm, on clean inputs: a contiguous finite float32 matrix and labels encoded as
 * 0..nClasses-1 (`classes[k]` is the label of class index k).
 */
export abstract class BaseClassifier<
  Params extends object,
  State,
  Info extends object = Record<string, unknown>,
> implements Classifier {
  abstract readonly modelType: string;
  readonly params: Readonly<Params>;
  #fitted:
    | {
        classes: Labels;
        nFeatures: number;
        featureNames: readonly string[] | undefined;
        state: State;
        info: Readonly<Info>;
      }
    | undefined;

  protected constructor(owner: string, defaults: Params, options: Partial<Params> | undefined) {
    const params = resolveParams(owner, defaults, options);
    this.validateParams(params);
    this.params = Object.freeze(params);
  }

  /** Throws a `ValueError` naming any hyper-parameter that is out of range. */
  protected abstract validateParams(params: Params): void;

  /** Learns from validated inputs; `y` holds class indices 0..nClasses-1. */
  protected abstract fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<State, Info>>;

  /** Predicts class indices (0..nClasses-1) for a validated matrix. */
  protected abstract predictEncoded(X: Tensor): Int32Array;

  /** The fitted state's tensors and JSON facts, for {@link ModelState}. */
  protected abstract stateTensors(state: State): Record<string, Tensor<DType>>;

  /** A copy of the hyper-parameters (scikit-learn's `get_params`). */
  getParams(): Params {
    return { ...this.params };
  }

  /**
   * A new, unfitted estimator of the same class with these hyper-parameters and `overrides`
   * over them (scikit-learn's `clone(est).set_params(...)`); this one is unchanged.
   */
  withParams(overrides: Partial<Params> = {}): this {
    const Class = this.constructor as new (options: Partial<Params>) => this;
    return new Class({ ...this.params, ...overrides });
  }

  /** A new, unfitted estimator with the same hyper-parameters (scikit-learn's `clone`). */
  clone(): this {
    return this.withParams();
  }

  get isFitted(): boolean {
    return this.#fitted !== undefined;
  }

  /** The sorted distinct labels seen in `fit`, in the order of the model's outputs. */
  get classes(): Labels {
    return this.requireFitted().classes;
  }

  get nFeatures(): number {
    return this.requireFitted().nFeatures;
  }

  /** The names of the features, when the model was fitted on a table (scikit-learn's `feature_names_in_`). */
  get featureNames(): readonly string[] | undefined {
    return this.requireFitted().featureNames;
  }

  /**
   * JSON-able facts recorded by the last `fit` (e.g. training history), typed per model; for
   * a model loaded from a file, what the file recorded.
   */
  get info(): Readonly<Info> {
    return this.requireFitted().info;
  }

  /** The fitted state; throws {@link NotFittedError} before `fit`. */
  protected get state(): State {
    return this.requireFitted().state;
  }

  async fit(X: FeaturesInput, y: ArrayLike<Label>, options: FitOptions = {}): Promise<this> {
    const owner = this.constructor.name;
    const { matrix: x, featureNames } = tableParts(X);
    const [rows, cols] = x.matrixShape('X');
    if (rows === 0) throw new ShapeError(`${owner}.fit needs at least one sample, got 0 rows`);
    const { classes, encoded } = encodeLabels(y, rows);
    if (classes.length < 2) {
      throw new ValueError(
        `${owner}.fit needs samples of at least 2 classes, got only class ${JSON.stringify(classes[0])}`,
      );
    }
    const resolved = resolveFitOptions(owner, options, rows);
    resolved.signal?.throwIfAborted();
    const fitted = await this.fitEncoded(x, encoded, classes.length, resolved);
    resolved.signal?.throwIfAborted();
    this.#fitted = {
      classes,
      nFeatures: cols,
      featureNames,
      state: fitted.state,
      info: Object.freeze(fitted.info ?? ({} as Info)),
    };
    return this;
  }

  /**
   * The shared half of a subclass's `partialFit` (scikit-learn's `partial_fit`): validates the
   * batch against the model (its feature count; labels among its classes, which the first call
   * to an unfitted model takes from `options.classes`) and the fit options, runs `learn` on
   * the batch with labels encoded as indices into the classes, and installs the fitted state
   * it returns, as `fit` does. `learn` reads the state it continues from `this.state` when the
   * model is fitted. If it fails, or the signal aborts, the previous fitted state stays.
   * `classWeight: 'balanced'`, where a model has it, is refused: one batch cannot say how
   * frequent each class is.
   */
  protected async partialFitWith(
    X: FeaturesInput,
    y: ArrayLike<Label>,
    options: PartialFitOptions,
    learn: (
      X: Tensor,
      y: Int32Array,
      nClasses: number,
      options: ResolvedFitOptions,
    ) => Promise<Fitted<State, Info>>,
  ): Promise<this> {
    const owner = `${this.constructor.name}.partialFit`;
    if ((this.params as { classWeight?: unknown }).classWeight === 'balanced') {
      throw new ValueError(
        `${owner} cannot use classWeight 'balanced': it needs the class totals of all the ` +
          'data, which one batch does not show. Compute them once from all the labels (or a ' +
          'large sample): n / (nClasses * count_k) for class k, as classWeights does; give each ' +
          "row its class's weight as sampleWeight, with classWeight: null",
      );
    }
    const fitted = this.#fitted;
    const { matrix: x, featureNames } = tableParts(X);
    if (fitted !== undefined) {
      checkFeatureCount(x, fitted.nFeatures);
      checkFeatureNames(fitted.featureNames, featureNames);
    }
    const [rows, cols] = x.matrixShape('X');
    if (rows === 0) throw new ShapeError(`${owner} needs at least one sample, got 0 rows`);
    const classes = partialFitClasses(owner, options?.classes, fitted?.classes);
    const encoded = encodeAmong(owner, y, rows, classes, fitted === undefined);
    const resolved = resolveFitOptions(this.constructor.name, options, rows, 'partialFit');
    resolved.signal?.throwIfAborted();
    const learned = await learn(x, encoded, classes.length, resolved);
    resolved.signal?.throwIfAborted();
    this.#fitted = {
      classes,
      nFeatures: cols,
      featureNames: fitted?.featureNames ?? featureNames,
      state: learned.state,
      info: Object.freeze(learned.info ?? ({} as Info)),
    };
    return this;
  }

  /**
   * The predicted label of each row of `X`, of the type the model was fitted on: an
   * Int32Array for integer classes, strings or booleans otherwise.
   */
  predict(X: FeaturesInput): Labels {
    const { classes } = this.requireFitted();
    const indices = this.predictEncoded(this.checkInput(X));
    if (classes instanceof Int32Array) {
      const labels = new Int32Array(indices.length);
      for (let i = 0; i < indices.length; i++) labels[i] = classes[indices[i]];
      return labels;
    }
    return Array.from(indices, (index) => classes[index]);
  }

  /** The fraction of rows of `X` whose predicted label is `y`'s (mean accuracy). */
  score(X: FeaturesInput, y: ArrayLike<Label>): number {
    return accuracy(y, this.predict(X));
  }

  toState(): ModelState {
    const { classes, nFeatures, featureNames, state, info } = this.requireFitted();
    return {
      ...(featureNames === undefined ? {} : { featureNames: [...featureNames] }),
      modelType: this.modelType,
      params: { ...(this.params as Record<string, unknown>) },
      classes: Array.from(classes),
      nFeatures,
      info: { ...info },
      tensors: this.stateTensors(state),
    };
  }

  /**
   * Validates `X` for prediction (fitted model, matching feature count, finite values, and on
   * a table the column names the model was fitted on) and returns it as a contiguous float32
   * Tensor.
   */
  protected checkInput(X: FeaturesInput): Tensor {
    const { nFeatures, featureNames } = this.requireFitted();
    const { matrix, featureNames: given } = tableParts(X);
    checkFeatureNames(featureNames, given);
    checkFeatureCount(matrix, nFeatures);
    return matrix;
  }

  /**
   * Installs the fitted state a model rebuilt from `state` (a model file's), with the classes,
   * feature count and facts `state` records: the last step of each model's `fromState`.
   */
  protected restore(state: ModelState, fitted: State): this {
    this.#fitted = {
      classes: asLabels(state.classes),
      nFeatures: state.nFeatures,
      featureNames: state.featureNames,
      state: fitted,
      info: Object.freeze({ ...state.info } as Info),
    };
    return this;
  }

  private requireFitted() {
    if (this.#fitted === undefined) {
      throw new NotFittedError(
        `This ${this.constructor.name} is not fitted yet: call fit(X, y) before using it`,
      );
    }
    return this.#fitted;
  }
}

/**
 * Validates {@link FitOptions} for a fit on `rows` samples and fills in the defaults (seed 0,
 * 1 thread, every sample weighing 1). For `method` `'partialFit'` the options may also hold
 * `classes` ({@link PartialFitOptions}), which the caller handles.
 */
export function resolveFitOptions(
  owner: string,
  options: FitOptions,
  rows: number,
  method: 'fit' | 'partialFit' = 'fit',
): ResolvedFitOptions {
  const known = new Set(['onProgress', 'signal', 'seed', 'threads', 'pool', 'sampleWeight']);
  if (method === 'partialFit') known.add('classes');
  const where = `${owner}.${method}`;
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw new ValueError(
        `${where}: unknown option '${key}'; expected one of ${[...known].join(', ')}`,
      );
    }
  }
  const { onProgress, signal } = options;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ValueError(`${where}: onProgress must be a function, got ${typeof onProgress}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ValueError(`${where}: signal must be an AbortSignal`);
  }
  return {
    onProgress: onProgress ?? ignoreProgress,
    signal,
    seed: checkNumber(where, 'seed', options.seed ?? 0, {
      integer: true,
      min: 0,
      max: 2 ** 32 - 1,
    }),
    threads: checkNumber(where, 'threads', options.threads ?? options.pool?.threads ?? 1, {
      integer: true,
      min: 1,
      max: 256,
    }),
    pool: checkPool(where, options),
    sampleWeight:
      options.sampleWeight === undefined
        ? null
        : checkSampleWeight(where, options.sampleWeight, rows),
  };
}

/** The options' pool, after checking it is one and has the options' thread count. */
function checkPool(where: string, { pool, threads }: FitOptions): WorkerPool | undefined {
  if (pool === undefined) return undefined;
  if (!(pool instanceof WorkerPool)) {
    throw new ValueError(`${where}: pool must be a WorkerPool, got ${String(pool)}`);
  }
  if (threads !== undefined && threads !== pool.threads) {
    throw new ValueError(
      `${where}: threads is ${threads} but the pool has ${pool.threads} threads; give one or the other`,
    );
  }
  return pool;
}

/** `weights` as a Float64Array after checking: one finite value >= 0 per row, not all 0. */
function checkSampleWeight(owner: string, weights: unknown, rows: number): Float64Array {
  if (weights === null || typeof weights !== 'object' || !('length' in weights)) {
    throw new ValueError(
      `${owner}: sampleWeight must be an array of numbers, got ${String(weights)}`,
    );
  }
  const values = weights as ArrayLike<unknown>;
  if (values.length !== rows) {
    throw new ShapeError(
      `${owner}: sampleWeight has ${values.length} weights but X has ${rows} rows; expected one per row`,
    );
  }
  const out = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const w = values[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ValueError(
        `${owner}: sampleWeight[${i}] is ${String(w)}; expected a finite number >= 0`,
      );
    }
    out[i] = w;
    total += w;
  }
  if (!(total > 0)) throw new ValueError(`${owner}: sampleWeight is all 0; expected some weight`);
  return out;
}

function ignoreProgress(_progress: FitProgress): void {}

/**
 * The classes of a `partialFit` call: a fitted model's own (`given`, when there, must name the
 * same labels); on the first call, the sorted distinct labels of `given`, which is required then.
 */
function partialFitClasses(owner: string, given: unknown, fitted: Labels | undefined): Labels {
  if (given === undefined) {
    if (fitted !== undefined) return fitted;
    throw new ValueError(
      `${owner}: the first call needs options.classes, every label the model is to know ` +
        '(a batch may hold only some of them), e.g. { classes: [0, 1, 2] }',
    );
  }
  const length = (given as { length?: unknown } | null)?.length;
  const { classes } = encodeLabels(
    given,
    typeof length === 'number' ? length : 0,
    'options.classes',
  );
  if (fitted !== undefined) {
    let same = classes.length === fitted.length;
    for (let k = 0; same && k < classes.length; k++) same = classes[k] === fitted[k];
    if (!same) {
      throw new ValueError(
        `${owner}: options.classes ${describeLabels(classes)} are not the model's classes ` +
          `${describeLabels(fitted)}; a fitted model keeps its classes`,
      );
    }
    return fitted;
  }
  if (classes.length < 2) {
    throw new ValueError(
      `${owner} needs at least 2 classes in options.classes, got ${describeLabels(classes)}`,
    );
  }
  return classes;
}

/**
 * `y`, validated as `fit` validates labels, as indices into `classes`; a label that is not
 * one of them is a `ValueError` naming it.
 */
function encodeAmong(
  owner: string,
  y: unknown,
  rows: number,
  classes: Labels,
  firstCall: boolean,
): Int32Array {
  const batch = encodeLabels(y, rows);
  const indexOf = new Map<Label, number>();
  for (let k = 0; k < classes.length; k++) indexOf.set(classes[k], k);
  const unknown = Array.from(batch.classes).filter((label) => !indexOf.has(label));
  if (unknown.length > 0) {
    throw new ValueError(
      `${owner}: y holds ${unknown.length === 1 ? 'the label' : 'labels'} ` +
        `${describeLabels(unknown)}, not among the classes ${describeLabels(classes)}` +
        (firstCall ? ' given in options.classes' : ' of the model'),
    );
  }
  const index = Int32Array.from(batch.classes, (label) => indexOf.get(label) as number);
  const { encoded } = batch;
  for (let i = 0; i < rows; i++) encoded[i] = index[encoded[i]];
  return encoded;
}

/** Labels as a short list for messages: `[2, 5, 9]`, or the first ten and the count. */
function describeLabels(labels: ArrayLike<Label>): string {
  const shown = Array.from({ length: Math.min(labels.length, 10) }, (_, i) =>
    JSON.stringify(labels[i]),
  );
  const more = labels.length > 10 ? `, ... (${labels.length} in all)` : '';
  return `[${shown.join(', ')}${more}]`;
}
