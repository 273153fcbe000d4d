import type { Label } from '@typedlearn/metrics';
import {
  KernelsArena,
  Rng,
  Tensor,
  ValueError,
  allocate,
  allocatorFor,
  argmaxRows,
  getBackend,
  sharedCopy,
  softmaxRows,
  type DType,
} from '@typedlearn/tensor';
import type { FeaturesInput } from '../input.js';
import { describeHyperParameters } from '../hyper-parameters.js';
import { BaseClassifier, type Fitted } from '../base-classifier.js';
import {
  CLASS_WEIGHT_DESCRIPTION,
  checkClassWeight,
  resolveFitWeights,
  type ClassWeight,
} from '../class-weight.js';
import { checkModelType, stateTensor } from '../model-state.js';
import type { ModelState, PartialFitOptions, ResolvedFitOptions } from '../classifier.js';
import { checkBoolean, checkChoice, checkNumber } from '../params.js';
import {
  LEARNING_RATE_SCHEDULES,
  learningRateAt,
  type LearningRateSchedule,
} from '../optim/learning-rate-schedule.js';
import {
  countNonzeros,
  SPARSE_DENSITY_THRESHOLD,
  WASM_SPARSE_DENSITY_THRESHOLD,
} from '../optim/sparse-rows.js';
import { runFit, type FitPool } from '../parallel/fit-pool.js';
import { newMemoryId } from '../parallel/thread-local.js';
import { ACTIVATIONS, type Activation } from './activation.js';
import { IncrementalTraining } from './incremental-training.js';
import { initializeWeights } from './initialization.js';
import { allocateInputMemory } from './input-layer.js';
import { MlpLayout } from './layout.js';
import { allocateBatchBuffers, type NetworkMemory } from './network-memory.js';
import { NetworkPass } from './network-pass.js';
import { PhaseRunner } from './phase-runner.js';
import { trainEpoch, type EpochSetup, type EpochSums } from './train-epoch.js';
import { FitEpochs, partialFitHistory } from '../network-epochs.js';
import { splitRows, weightTotals } from '../training-rows.js';

/** Hyper-parameters of {@link MLPClassifier}. */
export interface MLPClassifierOptions {
  /** Units of each hidden layer, input side first (positive integers). Default [512]. */
  hiddenLayers: number[];
  /** Nonlinearity of the hidden layers. Default `'relu'`. */
  activation: Activation;
  /** `'adam'` or `'sgd'` (with momentum). Default `'adam'`. */
  solver: 'adam' | 'sgd';
  /** Base step size (> 0), before the schedule. Default 0.001. */
  learningRate: number;
  /** Momentum of `'sgd'`, in [0, 1). Default 0.9. */
  momentum: number;
  /** Rows per mini-batch (integer >= 1). Default 128. */
  batchSize: number;
  /** Passes over the training rows (integer >= 1). Default 20. */
  epochs: number;
  /** L2 weight decay: (l2 / 2) * sum ||W||^2 is added to the mean loss (>= 0). Default 1e-5. */
  l2: number;
  /** Probability of dropping each hidden activation during training, in [0, 1). Default 0.2. */
  dropout: number;
  /** Learning-rate schedule over the epochs. Default `'cosine'`. */
  lrSchedule: LearningRateSchedule;
  /** Factor per epoch of the `'exponential'` schedule, in (0, 1]. Default 0.95. */
  lrDecay: number;
  /**
   * Share of the training rows held out (at random) to measure validation accuracy after
   * every epoch, in [0, 1). Default 0: train on every row.
   */
  validationFraction: number;
  /**
   * Stop when the validation accuracy has not improved by more than `tol` for `patience`
   * epochs, and keep the weights of the best epoch. Needs `validationFraction` > 0.
   * Default false.
   */
  earlyStopping: boolean;
  /** Epochs without improvement before early stopping (integer >= 1). Default 5. */
  patience: number;
  /** Smallest validation-accuracy gain that counts as an improvement (>= 0). Default 0. */
  tol: number;
  /**
   * How the first layer multiplies its input: `'sparse'` touches only nonzero values,
   * `'dense'` uses the GEMM, `'auto'` picks the faster for the data on the active backend:
   * sparse when at most half the values are nonzero (`'js'`), or 70% (`'wasm-simd'`).
   * Default `'auto'`.
   */
  inputFormat: 'auto' | 'dense' | 'sparse';
  /**
   * `'balanced'` weighs the loss of the samples of class k by W / (nClasses * W_k), W_k the
   * total sample weight of class k (see {@link ClassWeight}), multiplied into each sample's
   * weight; null weighs every class 1. Default null.
   */
  classWeight: ClassWeight;
}

/** The defaults of {@link MLPClassifierOptions}. */
export const MLP_CLASSIFIER_DEFAULTS: Readonly<MLPClassifierOptions> = Object.freeze({
  hiddenLayers: [512],
  activation: 'relu',
  solver: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  batchSize: 128,
  epochs: 20,
  l2: 1e-5,
  dropout: 0.2,
  lrSchedule: 'cosine',
  lrDecay: 0.95,
  validationFraction: 0,
  earlyStopping: false,
  patience: 5,
  tol: 0,
  inputFormat: 'auto',
  classWeight: null,
});

/** Each hyper-parameter of {@link MLPClassifier}, with its default and meaning. */
export const MLP_CLASSIFIER_PARAMETERS = describeHyperParameters(MLP_CLASSIFIER_DEFAULTS, {
  hiddenLayers: 'units of each hidden layer, input side first (positive integers)',
  activation: "nonlinearity of the hidden layers: 'relu' or 'tanh'",
  solver: "'adam' or 'sgd' (with momentum)",
  learningRate: 'base step size (> 0), before the schedule',
  momentum: "momentum of 'sgd', in [0, 1)",
  batchSize: 'rows per mini-batch (integer >= 1)',
  epochs: 'passes over the training rows (integer >= 1)',
  l2: 'L2 weight decay (>= 0)',
  dropout: 'probability of dropping each hidden activation while training, in [0, 0.99]',
  lrSchedule: "learning-rate schedule: 'constant', 'cosine' or 'exponential'",
  lrDecay: "factor per epoch of the 'exponential' schedule, in (0, 1]",
  validationFraction:
    'share of the training rows held out to measure validation accuracy, in [0, 0.9]',
  earlyStopping:
    'stop when validation accuracy stops improving, keeping the best epoch (needs validationFraction)',
  patience: 'epochs without improvement before early stopping (integer >= 1)',
  tol: 'smallest validation-accuracy gain that counts as an improvement (>= 0)',
  inputFormat:
    "first-layer products: 'sparse', 'dense' or 'auto' (sparse when at most 50% are nonzero on the js backend, 70% on wasm-simd)",
  classWeight: CLASS_WEIGHT_DESCRIPTION,
});

/** One epoch of {@link MLPFitInfo.history}. */
export interface EpochRecord {
  epoch: number;
  /**
   * Mean training loss over the epoch's mini-batches (cross-entropy + L2 term); with weights,
   * sum_i w_i CE_i / sum_i w_i over the epoch's rows, plus the L2 term.
   */
  loss: number;
  /**
   * Accuracy on the epoch's mini-batches as they were trained (dropout active), weighted by
   * `sampleWeight` when given.
   */
  trainAccuracy: number;
  /**
   * Accuracy on the held-out rows after the epoch, when `validationFraction` > 0, weighted by
   * `sampleWeight` when given.
   */
  validationAccuracy?: number;
  learningRate: number;
  /** Wall-clock seconds since `fit` (or this `partialFit` call) started. */
  seconds: number;
}

/** What {@link MLPClassifier} records about its fit in `info`. */
export interface MLPFitInfo {
  history: EpochRecord[];
  /** Why training stopped; `'partial-fit'` when the last epoch was a `partialFit` call. */
  stopReason: 'epochs' | 'early-stopping' | 'partial-fit';
  /** The epoch whose weights were kept (the best validation epoch with early stopping). */
  bestEpoch: number;
  /** Whether the first layer used the sparse (CSR) products. */
  sparseInput: boolean;
}

interface MlpState {
  layout: MlpLayout;
  params: Float32Array;
  /**
   * The optimiser's state after `fit` or `partialFit`, which the next `partialFit` continues;
   * absent in a model restored from a file.
   */
  training?: IncrementalTraining;
}

/** The name errors give. */
const OWNER = 'MLPClassifier';

/** Rows per forward pass when predicting. */
const PREDICT_CHUNK = 1024;

/**
 * A multi-layer perceptron classifier: dense hidden layers (ReLU or tanh) and a softmax
 * output, trained on the cross-entropy by mini-batch Adam or SGD with momentum, with L2
 * weight decay, inverted dropout, a learning-rate schedule and optional early stopping on a
 * held-out split. `info.history` holds per-epoch loss and accuracies for learning curves.
 *
 * ```ts
 * const mlp = await new MLPClassifier({ hiddenLayers: [256], epochs: 10 }).fit(X, y);
 * ```
 *
 * See network-pass.ts for the forward and backward passes, input-layer.ts for the first
 * layer's sparse products and phase-runner.ts for how threads share the work: any `threads`
 * gives the same model.
 *
 * With `sampleWeight` w_i (times the class weight of y_i, for `classWeight`), each mini-batch's
 * loss is the weighted mean sum_i w_i CE_i / sum_i w_i over its rows (plus the L2 term), the
 * definition scikit-learn 1.7 adopted when its MLPClassifier gained `sample_weight` (1.2 had
 * none). Multiplying every weight by a constant changes nothing; rows of weight 0 still take
 * their place in the batches but contribute nothing, and a batch whose rows all weigh 0 is
 * skipped (no optimiser step). Batches are not reweighted samples, so a weight of 2 acts as two
 * copies of a row only in expectation. Accuracies in `info.history` are weighted by the
 * sample weights; the training and the held-out rows must each keep some weight.
 */
export class MLPClassifier extends BaseClassifier<MLPClassifierOptions, MlpState, MLPFitInfo> {
  readonly modelType = 'mlp';

  constructor(options?: Partial<MLPClassifierOptions>) {
    super(OWNER, { ...MLP_CLASSIFIER_DEFAULTS }, options);
  }

  /** Restores a fitted MLP from {@link MLPClassifier.toState}'s output, validating it. */
  static fromState(state: ModelState): MLPClassifier {
    checkModelType(state, OWNER, 'mlp');
    const model = new MLPClassifier(state.params as Partial<MLPClassifierOptions>);
    const layout = new MlpLayout([
      state.nFeatures,
      ...model.params.hiddenLayers,
      state.classes.length,
    ]);
    const params = new Float32Array(layout.parameterCount);
    for (let l = 0; l < layout.layers; l++) {
      const [fanIn, units] = [layout.sizes[l], layout.sizes[l + 1]];
      const weight = { dtype: 'float32', shape: [fanIn, units] } as const;
      const bias = { dtype: 'float32', shape: [units] } as const;
      layout.weights(params, l).set(stateTensor(state, OWNER, `layers.${l}.weight`, weight));
      layout.bias(params, l).set(stateTensor(state, OWNER, `layers.${l}.bias`, bias));
    }
    return model.restore(state, { layout, params });
  }

  /** Layer l's weights [inputs, units] (a copy); l = 0 is the first hidden layer. */
  weights(l: number): Tensor {
    const { layout, params } = this.state;
    checkNumber('MLPClassifier.weights', 'l', l, { integer: true, min: 0, max: layout.layers - 1 });
    return new Tensor(layout.weights(params, l).slice(), [layout.sizes[l], layout.sizes[l + 1]]);
  }

  /** Layer l's bias [units] (a copy). */
  bias(l: number): Tensor {
    const { layout, params } = this.state;
    checkNumber('MLPClassifier.bias', 'l', l, { integer: true, min: 0, max: layout.layers - 1 });
    return new Tensor(layout.bias(params, l).slice(), [layout.sizes[l + 1]]);
  }

  /** Class probabilities [samples, classes], in the order of `classes`. */
  predictProba(X: FeaturesInput): Tensor {
    const logits = this.logits(this.checkInput(X));
    softmaxRows(logits.data, logits.shape[0], logits.shape[1]);
    return logits;
  }

  protected validateParams(params: MLPClassifierOptions): void {
    const owner = OWNER;
    const { hiddenLayers } = params;
    if (!Array.isArray(hiddenLayers) || hiddenLayers.length === 0) {
      throw new ValueError(
        `${owner}: hiddenLayers must be a non-empty array of unit counts, got ${JSON.stringify(hiddenLayers)}`,
      );
    }
    hiddenLayers.forEach((units, l) =>
      checkNumber(owner, `hiddenLayers[${l}]`, units, { integer: true, min: 1 }),
    );
    checkChoice(owner, 'activation', params.activation, ACTIVATIONS);
    checkChoice(owner, 'solver', params.solver, ['adam', 'sgd'] as const);
    checkNumber(owner, 'learningRate', params.learningRate, { min: 0, exclusiveMin: true });
    checkNumber(owner, 'momentum', params.momentum, { min: 0, max: 0.999999 });
    checkNumber(owner, 'batchSize', params.batchSize, { integer: true, min: 1 });
    checkNumber(owner, 'epochs', params.epochs, { integer: true, min: 1 });
    checkNumber(owner, 'l2', params.l2, { min: 0 });
    checkNumber(owner, 'dropout', params.dropout, { min: 0, max: 0.99 });
    checkChoice(owner, 'lrSchedule', params.lrSchedule, LEARNING_RATE_SCHEDULES);
    checkNumber(owner, 'lrDecay', params.lrDecay, { min: 0, exclusiveMin: true, max: 1 });
    checkNumber(owner, 'validationFraction', params.validationFraction, { min: 0, max: 0.9 });
    checkBoolean(owner, 'earlyStopping', params.earlyStopping);
    if (params.earlyStopping && params.validationFraction === 0) {
      throw new ValueError(
        `${owner}: earlyStopping needs validationFraction > 0 to measure improvement, got 0`,
      );
    }
    checkNumber(owner, 'patience', params.patience, { integer: true, min: 1 });
    checkNumber(owner, 'tol', params.tol, { min: 0 });
    checkChoice(owner, 'inputFormat', params.inputFormat, ['auto', 'dense', 'sparse'] as const);
    checkClassWeight(owner, params.classWeight);
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<MlpState, MLPFitInfo>> {
    return runFit(options, (pool) => this.train(X, y, nClasses, options, pool));
  }

  /**
   * One epoch over the rows of `X` in shuffled mini-batches of `batchSize`, continuing from
   * the model's weights and its optimiser's state, as scikit-learn's `partial_fit`: for data
   * that come in batches, or do not fit in memory at once.
   *
   * - The first call to an unfitted model needs `options.classes`, every label the model is to
   *   know; any later batch may hold any of them (a label outside them is a `ValueError`).
   *   It initialises the weights as `fit` does (from `seed`), so one call over all the rows
   *   gives bit for bit the model of `fit` with `epochs: 1`, the same `seed` and
   *   `validationFraction: 0`.
   * - Each call continues the optimiser: Adam's moments or SGD's velocity, the step count, and
   *   the learning-rate schedule, whose epoch is the number of epochs so far (fit's and
   *   partialFit's), held at its last epoch `epochs - 1` after that: set `epochs` to the
   *   number of calls you plan, or use `lrSchedule: 'constant'` for a stream without end. A
   *   model fitted by `fit` continues its optimiser; a model restored from a file has none and
   *   starts a fresh one (zero moments, schedule at epoch 0) from its weights.
   * - `seed` shuffles the call's rows and draws its dropout masks, `sampleWeight` weighs them
   *   as in `fit`. `validationFraction`, `earlyStopping`, `patience` and `tol` belong to `fit`
   *   and are not used: every row of the batch trains. `classWeight: 'balanced'` needs the
   *   class totals of all the data and is refused.
   * - Threads work as in `fit` (the same model on any number of them); each call starts its
   *   own workers, so they pay off on large batches only.
   * - The buffers of a call are kept for the next, re-allocated only when a call needs more.
   *   A failed or aborted call leaves the model, and its optimiser's state, as they were.
   */
  async partialFit(
    X: FeaturesInput,
    y: ArrayLike<Label>,
    options: PartialFitOptions = {},
  ): Promise<this> {
    let training: IncrementalTraining | undefined;
    try {
      return await this.partialFitWith(X, y, options, (x, encoded, nClasses, resolved) =>
        runFit(resolved, (pool) => {
          const previous = this.isFitted ? this.state : undefined;
          const { hiddenLayers, solver, momentum } = this.params;
          const layout = previous?.layout ?? new MlpLayout([x.shape[1], ...hiddenLayers, nClasses]);
          training =
            previous?.training ?? new IncrementalTraining(solver, momentum, layout.parameterCount);
          training.checkpoint();
          return this.trainPass(training, layout, previous, { X: x, y: encoded }, resolved, pool);
        }),
      );
    } catch (error) {
      training?.rollback();
      throw error;
    }
  }

  /** One `partialFit` epoch of `training` from `previous` (none: initialised as `fit` does). */
  private async trainPass(
    training: IncrementalTraining,
    layout: MlpLayout,
    previous: MlpState | undefined,
    { X, y }: { X: Tensor; y: Int32Array },
    options: ResolvedFitOptions,
    pool: FitPool,
  ): Promise<Fitted<MlpState, MLPFitInfo>> {
    const p = this.params;
    const rows = X.shape[0];
    const classes = layout.sizes[layout.sizes.length - 1];
    const started = performance.now();
    const rng = new Rng(options.seed);
    // classWeight is null here: partialFitWith refuses 'balanced'.
    const weights = resolveFitWeights(null, y, classes, options.sampleWeight);
    const batchSize = Math.min(p.batchSize, rows);
    const nonzeros = this.sparseInputNonzeros(X);
    const sparseInput = nonzeros !== null;
    const dropout = p.dropout > 0;
    const { memory, predicted, batchWeights } = training.prepare({
      layout,
      activation: p.activation,
      dropout,
      keep: 1 - p.dropout,
      l2: p.l2,
      batchSize,
      x: X.contiguousData(),
      rows,
      nonzeros,
      weighted: weights.combined !== null,
      shared: pool.threads > 1,
    });
    if (previous !== undefined) {
      memory.params.set(previous.params);
    } else {
      memory.params.fill(0);
      initializeParameters(layout, memory.params, p.activation, rng.fork(0));
    }
    const order = memory.rowLists.train;
    const totals = weightTotals(OWNER, weights, order, order.subarray(0, 0));
    const pass = new NetworkPass(memory);
    // fit's draws for its first epoch: the shuffle, then the dropout masks.
    rng.fork(2).shuffle(order);
    const epoch = Math.min(training.epochs, p.epochs - 1);
    const learningRate = learningRateAt(p.lrSchedule, p.learningRate, epoch, p.epochs, p.lrDecay);
    const runner = await PhaseRunner.start(pass, pool);
    let trained: EpochSums;
    try {
      trained = trainEpoch(
        {
          runner,
          pass,
          y,
          classes,
          hiddenSizes: layout.sizes.slice(1, -1),
          lossWeights: weights.combined,
          sampleWeights: weights.sample,
          dropout,
          dropoutRng: rng.fork(3),
          predicted,
          batchWeights,
        },
        learningRate,
        training.step,
      );
    } finally {
      await runner.close();
    }
    training.step = trained.step;
    training.epochs++;
    const history = await partialFitHistory(
      this.isFitted ? this.info.history : undefined,
      {
        loss: trained.crossEntropy / totals.loss + 0.5 * p.l2 * pass.weightSquares(),
        trainAccuracy: trained.correct / totals.train,
        learningRate,
        seconds: (performance.now() - started) / 1000,
      },
      options,
    );
    return {
      state: { layout, params: memory.params.slice(), training },
      info: { history, stopReason: 'partial-fit', bestEpoch: history.length, sparseInput },
    };
  }

  /**
   * The training loop: epochs of shuffled mini-batches, each run forward, through the fused
   * softmax cross-entropy, backward and into the optimiser by a {@link PhaseRunner} (on the
   * fit's threads, with identical results for any number of them).
   */
  private async train(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
    pool: FitPool,
  ): Promise<Fitted<MlpState, MLPFitInfo>> {
    // The fit's arrays, in the WebAssembly kernels' memory where the kernels can use them in
    // place; what outlives the fit is copied out.
    const arena = new KernelsArena(allocatorFor(pool.threads > 1));
    try {
      return await this.trainWith(arena, X, y, nClasses, options, pool);
    } finally {
      arena.release();
    }
  }

  /** {@link train}, with every array of the fit made by `arena`. */
  private async trainWith(
    arena: KernelsArena,
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
    pool: FitPool,
  ): Promise<Fitted<MlpState, MLPFitInfo>> {
    const p = this.params;
    const [rows, features] = X.matrixShape('X');
    const started = performance.now();
    const threaded = pool.threads > 1;
    const allocator = arena.allocate;
    const rng = new Rng(options.seed);
    const layout = new MlpLayout([features, ...p.hiddenLayers, nClasses]);
    const params = allocator('float32', layout.parameterCount);
    initializeParameters(layout, params, p.activation, rng.fork(0));
    const { trainRows, validationRows } = splitRows(rows, p.validationFraction, rng.fork(1));
    const weights = resolveFitWeights(p.classWeight, y, nClasses, options.sampleWeight);
    const { combined, sample } = weights;
    const totals = weightTotals(OWNER, weights, trainRows, validationRows);
    const batchSize = Math.min(p.batchSize, trainRows.length);
    const nonzeros = this.sparseInputNonzeros(X);
    const sparseInput = nonzeros !== null;
    const dropout = p.dropout > 0;
    const memory: NetworkMemory = {
      id: newMemoryId(),
      sizes: [...layout.sizes],
      activation: p.activation,
      batchSize,
      keep: 1 - p.dropout,
      l2: p.l2,
      params,
      gradient: allocator('float32', layout.parameterCount),
      ...allocateBatchBuffers(layout.sizes, batchSize, dropout, allocator),
      input: allocateInputMemory(X.contiguousData(), rows, features, nonzeros, batchSize, threaded, allocator), // prettier-ignore
      rowLists: {
        train: threaded ? sharedCopy(trainRows) : trainRows,
        validation: threaded ? sharedCopy(validationRows) : validationRows,
      },
      optimizer: {
        solver: p.solver,
        momentum: p.momentum,
        state: Array.from({ length: p.solver === 'adam' ? 2 : 1 }, () =>
          allocator('float32', layout.parameterCount),
        ),
      },
    };
    const pass = new NetworkPass(memory);
    const runner = await PhaseRunner.start(pass, pool, arena);
    const order = memory.rowLists.train;
    const predicted = new Int32Array(batchSize);
    const setup: EpochSetup = {
      runner,
      pass,
      y,
      classes: nClasses,
      hiddenSizes: layout.sizes.slice(1, -1),
      lossWeights: combined,
      sampleWeights: sample,
      dropout,
      dropoutRng: rng.fork(3),
      predicted,
      batchWeights: combined === null ? null : new Float64Array(batchSize),
    };
    const shuffleRng = rng.fork(2);

    const epochs = new FitEpochs(p, options);
    let step = 0;
    try {
      for (let epoch = 0; epoch < p.epochs; epoch++) {
        const learningRate = learningRateAt(
          p.lrSchedule,
          p.learningRate,
          epoch,
          p.epochs,
          p.lrDecay,
        );
        shuffleRng.shuffle(order);
        const trained = trainEpoch(setup, learningRate, step);
        const { crossEntropy, correct } = trained;
        step = trained.step;
        const record: EpochRecord = {
          epoch: epoch + 1,
          loss: crossEntropy / totals.loss + 0.5 * p.l2 * pass.weightSquares(),
          trainAccuracy: correct / totals.train,
          learningRate,
          seconds: 0,
        };
        if (validationRows.length > 0) {
          record.validationAccuracy =
            validationCorrect(runner, pass, y, nClasses, predicted, sample) / totals.validation;
        }
        record.seconds = (performance.now() - started) / 1000;
        if (await epochs.end(record, params)) break;
      }
    } finally {
      await runner.close();
    }
    const { history, stopReason, bestEpoch } = epochs;
    const info: MLPFitInfo = { history, stopReason, bestEpoch, sparseInput };
    // What partialFit continues: the optimiser's state (copied out of the arena), steps and epochs.
    const training = new IncrementalTraining(
      p.solver,
      p.momentum,
      layout.parameterCount,
      memory.optimizer?.state.map((moments) => moments.slice()),
      step,
      history.length,
    );
    // The fitted parameters, in ordinary memory whatever the training used.
    const fitted = epochs.fittedParams(params);
    return { state: { layout, params: fitted, training }, info: { ...info } };
  }

  protected predictEncoded(X: Tensor): Int32Array {
    const logits = this.logits(X);
    const [rows, classes] = logits.shape;
    return argmaxRows(logits.data, rows, classes, new Int32Array(rows));
  }

  protected stateTensors(state: MlpState): Record<string, Tensor<DType>> {
    const { layout, params } = state;
    const tensors: Record<string, Tensor<DType>> = {};
    for (let l = 0; l < layout.layers; l++) {
      const [fanIn, units] = [layout.sizes[l], layout.sizes[l + 1]];
      tensors[`layers.${l}.weight`] = new Tensor(layout.weights(params, l), [fanIn, units]);
      tensors[`layers.${l}.bias`] = new Tensor(layout.bias(params, l), [units]);
    }
    return tensors;
  }

  /** Logits [samples, classes] of validated rows, by forward passes over chunks of rows. */
  private logits(X: Tensor): Tensor {
    const { layout, params } = this.state;
    const [rows, features] = X.matrixShape('X');
    const classes = layout.sizes[layout.sizes.length - 1];
    const out = Tensor.zeros([rows, classes]);
    const chunk = Math.max(1, Math.min(PREDICT_CHUNK, rows));
    const nonzeros = this.sparseInputNonzeros(X);
    const pass = new NetworkPass({
      id: newMemoryId(),
      sizes: [...layout.sizes],
      activation: this.params.activation,
      batchSize: chunk,
      keep: 1,
      l2: 0,
      params,
      gradient: new Float32Array(0),
      ...allocateBatchBuffers(layout.sizes, chunk, false, allocate),
      input: allocateInputMemory(X.contiguousData(), rows, features, nonzeros, chunk, false),
      rowLists: {},
    });
    const rowList = Int32Array.from({ length: rows }, (_, i) => i);
    for (let start = 0; start < rows; start += chunk) {
      const count = Math.min(chunk, rows - start);
      pass.input.prepare(rowList.subarray(start, start + count), count);
      for (let l = 0; l < layout.layers; l++) {
        pass.forwardLayer(l, 0, count, false);
      }
      out.data.set(pass.logits.subarray(0, count * classes), start * classes);
    }
    return out;
  }

  /**
   * X's count of nonzero values when the first layer takes its sparse form, null for the dense
   * form (counted once: the sparse form's arrays are sized by it).
   */
  private sparseInputNonzeros(X: Tensor): number | null {
    const { inputFormat } = this.params;
    if (inputFormat === 'dense') return null;
    const nonzeros = countNonzeros(X.contiguousData(), X.size);
    if (inputFormat === 'sparse') return nonzeros;
    const threshold =
      getBackend() === 'wasm-simd' ? WASM_SPARSE_DENSITY_THRESHOLD : SPARSE_DENSITY_THRESHOLD;
    return nonzeros <= threshold * X.size ? nonzeros : null;
  }
}

/** He or Glorot weights (see initialization.ts) and zero biases, written into `params`. */
function initializeParameters(
  layout: MlpLayout,
  params: Float32Array,
  activation: Activation,
  rng: Rng,
): void {
  for (let l = 0; l < layout.layers; l++) {
    const scheme = l === layout.layers - 1 ? 'output' : activation;
    initializeWeights(layout.weights(params, l), layout.sizes[l], layout.sizes[l + 1], scheme, rng);
  }
}

/**
 * How many held-out rows the current parameters predict right (no dropout); with
 * `sampleWeight`, their total weight.
 */
function validationCorrect(
  runner: PhaseRunner,
  pass: NetworkPass,
  y: Int32Array,
  classes: number,
  predicted: Int32Array,
  sampleWeight: Float64Array | null,
): number {
  const { batchSize, rowLists } = pass.memory;
  const rowList = rowLists.validation;
  let correct = 0;
  for (let start = 0; start < rowList.length; start += batchSize) {
    const count = Math.min(batchSize, rowList.length - start);
    runner.forward('validation', start, count, false);
    const logits = pass.logits.subarray(0, count * classes);
    argmaxRows(logits, count, classes, predicted.subarray(0, count));
    for (let r = 0; r < count; r++) {
      const row = rowList[start + r];
      if (predicted[r] === y[row]) correct += sampleWeight === null ? 1 : sampleWeight[row];
    }
  }
  return correct;
}
