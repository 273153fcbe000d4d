import type { Label } from '@typedlearn/metrics';
import {
  Rng,
  Tensor,
  ValueError,
  allocatorFor,
  KernelsArena,
  argmaxRows,
  defineTask,
  gemm,
  sharedCopy,
  softmaxRows,
  type Allocator,
  type DType,
} from '@typedlearn/tensor';
import { OptimizerCheckpoint } from '../optim/optimizer-checkpoint.js';
import type { FeaturesInput } from '../input.js';
import { describeHyperParameters } from '../hyper-parameters.js';
import { BaseClassifier, type Fitted } from '../base-classifier.js';
import {
  CLASS_WEIGHT_DESCRIPTION,
  checkClassWeight,
  resolveFitWeights,
  type ClassWeight,
} from '../class-weight.js';
import { readStateTensors } from '../model-state.js';
import type { ModelState, PartialFitOptions, ResolvedFitOptions } from '../classifier.js';
import { checkChoice, checkNumber } from '../params.js';
import { Adam } from '../optim/adam.js';
import { minimizeLbfgs, type LbfgsStopReason, type Objective } from '../optim/lbfgs.js';
import {
  LEARNING_RATE_SCHEDULES,
  learningRateAt,
  type LearningRateSchedule,
} from '../optim/learning-rate-schedule.js';
import { SgdMomentum } from '../optim/sgd-momentum.js';
import {
  countNonzeros,
  fillSparseRows,
  SPARSE_DENSITY_THRESHOLD,
  SparseRows,
} from '../optim/sparse-rows.js';
import { runFit, type FitPool } from '../parallel/fit-pool.js';
import { newMemoryId } from '../parallel/thread-local.js';
import { yieldToEventLoop } from '../parallel/yield-to-event-loop.js';
import type { BlockJob } from './objective-task.js';
import { SoftmaxObjective, blockCount, type SoftmaxMemory } from './softmax-objective.js';

const EVALUATE_BLOCKS = defineTask(
  new URL('./objective-task.js', import.meta.url),
  'evaluateBlocks',
);

/** How the training matrix is multiplied: see {@link SoftmaxRegressionOptions.inputFormat}. */
export type InputFormat = 'auto' | 'dense' | 'sparse';

/** Hyper-parameters of {@link SoftmaxRegression}. */
export interface SoftmaxRegressionOptions {
  /**
   * Inverse regularisation strength (> 0), scikit-learn's convention: the objective is
   * C * sum_i w_i CE_i + ||W||^2 / 2 (w_i = 1 without weights). Larger C fits the training set
   * more closely. Default 1.
   */
  C: number;
  /**
   * `'lbfgs'`: full-batch L-BFGS to the exact optimum (as scikit-learn's `lbfgs`);
   * `'adam'` / `'sgd'` (with momentum): mini-batch epochs. Default `'lbfgs'`.
   */
  solver: 'lbfgs' | 'adam' | 'sgd';
  /**
   * Most L-BFGS iterations, or epochs for `'adam'`/`'sgd'` (integer >= 1): a cap, not a
   * setting to tune. The fit stops at convergence, when the gradient (or, for the mini-batch
   * solvers, the epoch loss) meets `tol`, as scikit-learn's does; `info.stopReason` says
   * which stop was reached. Default 1000 (full MNIST converges in under 200 L-BFGS
   * iterations). A smaller value stops early on purpose.
   */
  maxIter: number;
  /**
   * Stopping tolerance (>= 0). L-BFGS stops when the largest gradient component of the
   * objective divided by C S (S = sum_i w_i, n without weights) falls to `tol`; `'adam'`/`'sgd'` stop when the epochs' mean
   * training loss has not improved on its best by at least `tol` for 5 epochs in a row
   * (scikit-learn's `n_iter_no_change`, fixed at 5). Default 1e-4.
   */
  tol: number;
  /** Step size of `'adam'` and `'sgd'` (> 0). Default 0.001. */
  learningRate: number;
  /** Momentum of `'sgd'`, in [0, 1). Default 0.9. */
  momentum: number;
  /** Rows per mini-batch for `'adam'`/`'sgd'` (integer >= 1). Default 256. */
  batchSize: number;
  /** Learning-rate schedule over the epochs of `'adam'`/`'sgd'`. Default `'constant'`. */
  lrSchedule: LearningRateSchedule;
  /** Factor per epoch of the `'exponential'` schedule, in (0, 1]. Default 0.95. */
  lrDecay: number;
  /**
   * `'sparse'` multiplies only the nonzero values of X (compressed sparse rows, float64
   * accumulation), `'dense'` uses the float32 GEMM, `'auto'` picks sparse when at most half
   * of the values are nonzero (MNIST: 19%). The optimum is the same up to rounding.
   * Default `'auto'`.
   */
  inputFormat: InputFormat;
  /**
   * `'balanced'` weighs the loss of the samples of class k by W / (nClasses * W_k), W_k the
   * total sample weight of class k (see {@link ClassWeight}), multiplied into each sample's
   * weight as scikit-learn's `class_weight` is; null weighs every class 1. Default null.
   */
  classWeight: ClassWeight;
}

/** The defaults of {@link SoftmaxRegressionOptions}. */
export const SOFTMAX_REGRESSION_DEFAULTS: Readonly<SoftmaxRegressionOptions> = Object.freeze({
  C: 1,
  solver: 'lbfgs',
  maxIter: 1000,
  tol: 1e-4,
  learningRate: 0.001,
  momentum: 0.9,
  batchSize: 256,
  lrSchedule: 'constant',
  lrDecay: 0.95,
  inputFormat: 'auto',
  classWeight: null,
});

/** Each hyper-parameter of {@link SoftmaxRegression}, with its default and meaning. */
export const SOFTMAX_REGRESSION_PARAMETERS = describeHyperParameters(SOFTMAX_REGRESSION_DEFAULTS, {
  C: 'inverse regularisation strength (> 0): larger fits the training set more closely',
  solver: "'lbfgs' (full batch, to the optimum), 'adam' or 'sgd' (mini-batch epochs)",
  maxIter:
    "cap on L-BFGS iterations, or epochs for 'adam'/'sgd' (integer >= 1); the fit stops at convergence (tol) first",
  tol: 'stopping tolerance on the scaled gradient (lbfgs) or on the epoch loss (adam, sgd), >= 0',
  learningRate: "step size of 'adam' and 'sgd' (> 0)",
  momentum: "momentum of 'sgd', in [0, 1)",
  batchSize: "rows per mini-batch of 'adam'/'sgd' (integer >= 1)",
  lrSchedule: "learning-rate schedule of 'adam'/'sgd': 'constant', 'cosine' or 'exponential'",
  lrDecay: "factor per epoch of the 'exponential' schedule, in (0, 1]",
  inputFormat:
    "'sparse' (nonzero values only), 'dense' (GEMM) or 'auto' (sparse when at most half are nonzero)",
  classWeight: CLASS_WEIGHT_DESCRIPTION,
});

/** Epochs without a `tol` improvement of the loss before a mini-batch solver stops. */
const EPOCHS_WITHOUT_IMPROVEMENT = 5;

interface SoftmaxState {
  /** [classes, features], class-major. */
  coef: Float32Array;
  intercept: Float32Array;
  /**
   * The mini-batch solver's state after `fit` or `partialFit` with `'adam'` / `'sgd'`, which
   * the next `partialFit` continues; absent after L-BFGS and in a model restored from a file.
   */
  trainer?: MiniBatchTrainer;
}

/** What {@link SoftmaxRegression} records about its fit in `info`. */
export interface SoftmaxFitInfo {
  solver: SoftmaxRegressionOptions['solver'];
  /** L-BFGS iterations or epochs done (`partialFit` calls count one epoch each). */
  iterations: number;
  /** Why training stopped; `'partial-fit'` when the last pass was a `partialFit` call. */
  stopReason: LbfgsStopReason | 'loss' | 'max-epochs' | 'partial-fit';
  /** The objective (per iteration) or mean training loss (per epoch), for learning curves. */
  lossHistory: number[];
  /** Whether the sparse (CSR) products were used. */
  sparseInput: boolean;
}

/** What a solver returns: the feature-major float64 parameters and the facts of its run. */
interface SolverResult {
  params: Float64Array;
  info: Omit<SoftmaxFitInfo, 'sparseInput'>;
  sparseInput: boolean;
  /** The mini-batch solvers' state, for `partialFit` to continue. */
  trainer?: MiniBatchTrainer;
}

/**
 * Multinomial logistic regression (softmax regression) with L2 regularisation: class
 * probabilities softmax(W x + b), fitted by minimising
 *
 *   C * sum_i -log p(y_i | x_i) + ||W||_F^2 / 2     (intercepts not penalised)
 *
 * exactly scikit-learn's `LogisticRegression(multi_class='multinomial', C=C)`, so the
 * `'lbfgs'` optimum matches it. The gradient is computed in float64; see
 * softmax-objective.ts for the math and linear-products.ts for the two products with X.
 *
 * With `sampleWeight` w_i (times the class weight of y_i, for `classWeight`) the objective is
 * C * sum_i w_i CE_i + ||W||^2 / 2, scikit-learn's `fit(X, y, sample_weight)`: for `'lbfgs'`
 * a weight of 2 is exactly two copies of the row and a weight of 0 no row, up to the
 * solver's tolerance. `'adam'`/`'sgd'` estimate the same objective without bias on each
 * mini-batch (see {@link SoftmaxObjective.evaluateBatch}), so there the equivalence holds in
 * expectation.
 *
 * ```ts
 * const model = await new SoftmaxRegression({ C: 0.5 }).fit(X, y);
 * model.coef; // [10, 784]: each row can be drawn as a 28x28 image
 * ```
 */
export class SoftmaxRegression extends BaseClassifier<
  SoftmaxRegressionOptions,
  SoftmaxState,
  SoftmaxFitInfo
> {
  readonly modelType = 'softmax';

  constructor(options?: Partial<SoftmaxRegressionOptions>) {
    super('SoftmaxRegression', { ...SOFTMAX_REGRESSION_DEFAULTS }, options);
  }

  /** Restores a fitted model from {@link SoftmaxRegression.toState}'s output, validating it. */
  static fromState(state: ModelState): SoftmaxRegression {
    const model = new SoftmaxRegression(state.params as Partial<SoftmaxRegressionOptions>);
    const classes = state.classes.length;
    const { coef, intercept } = readStateTensors(state, 'SoftmaxRegression', 'softmax', {
      coef: { dtype: 'float32', shape: [classes, state.nFeatures] },
      intercept: { dtype: 'float32', shape: [classes] },
    });
    return model.restore(state, { coef: coef.slice(), intercept: intercept.slice() });
  }

  /** The weights [classes, features]: row k scores class `classes[k]` (a copy). */
  get coef(): Tensor {
    return new Tensor(this.state.coef.slice(), [this.classes.length, this.nFeatures]);
  }

  /** The intercepts [classes] (a copy). */
  get intercept(): Tensor {
    return new Tensor(this.state.intercept.slice(), [this.classes.length]);
  }

  /** Class probabilities [samples, classes], in the order of `classes`. */
  predictProba(X: FeaturesInput): Tensor {
    const x = this.checkInput(X);
    const scores = this.logits(x);
    softmaxRows(scores.data, scores.shape[0], scores.shape[1]);
    return scores;
  }

  protected validateParams(params: SoftmaxRegressionOptions): void {
    const owner = 'SoftmaxRegression';
    checkNumber(owner, 'C', params.C, { min: 0, exclusiveMin: true });
    checkChoice(owner, 'solver', params.solver, ['lbfgs', 'adam', 'sgd'] as const);
    checkNumber(owner, 'maxIter', params.maxIter, { integer: true, min: 1 });
    checkNumber(owner, 'tol', params.tol, { min: 0 });
    checkNumber(owner, 'learningRate', params.learningRate, { min: 0, exclusiveMin: true });
    checkNumber(owner, 'momentum', params.momentum, { min: 0, max: 0.999999 });
    checkNumber(owner, 'batchSize', params.batchSize, { integer: true, min: 1 });
    checkChoice(owner, 'lrSchedule', params.lrSchedule, LEARNING_RATE_SCHEDULES);
    checkNumber(owner, 'lrDecay', params.lrDecay, { min: 0, exclusiveMin: true, max: 1 });
    checkChoice(owner, 'inputFormat', params.inputFormat, ['auto', 'dense', 'sparse'] as const);
    checkClassWeight(owner, params.classWeight);
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<SoftmaxState, SoftmaxFitInfo>> {
    const { combined } = resolveFitWeights(
      this.params.classWeight,
      y,
      nClasses,
      options.sampleWeight,
    );
    // Threads share the full-batch objective's blocks; mini-batches are too small to split.
    // The workers start up, and import the objective's task, while this thread lays out X.
    const lbfgs = this.params.solver === 'lbfgs';
    const fitted = await runFit(
      options,
      async (pool): Promise<SolverResult> => {
        // The objective's arrays, in the WebAssembly kernels' memory where the kernels can use
        // them in place (X's nonzeros are then there once, not also copied).
        const arena = new KernelsArena(allocatorFor(pool.threads > 1));
        try {
          return lbfgs
            ? await this.fitLbfgs(X, y, combined, nClasses, options, pool, arena.allocate)
            : await this.fitMiniBatch(X, y, combined, nClasses, options, arena.allocate);
        } finally {
          arena.release();
        }
      },
      lbfgs ? [EVALUATE_BLOCKS] : [],
    );
    const { params, info, sparseInput, trainer } = fitted;
    return {
      state: { ...toClassMajor(params, X.shape[1], nClasses), trainer },
      info: { ...info, sparseInput } satisfies SoftmaxFitInfo,
    };
  }

  protected predictEncoded(X: Tensor): Int32Array {
    const scores = this.logits(X);
    return argmaxRows(scores.data, scores.shape[0], scores.shape[1], new Int32Array(X.shape[0]));
  }

  protected stateTensors(state: SoftmaxState): Record<string, Tensor<DType>> {
    return {
      coef: new Tensor(state.coef, [this.classes.length, this.nFeatures]),
      intercept: new Tensor(state.intercept, [this.classes.length]),
    };
  }

  /** Scores W x + b [samples, classes] of validated rows, by one GEMM. */
  private logits(X: Tensor): Tensor {
    const [rows, features] = X.matrixShape('X');
    const { coef, intercept } = this.state;
    const classes = intercept.length;
    const scores = Tensor.zeros([rows, classes]);
    const out = scores.data;
    for (let i = 0; i < rows; i++) out.set(intercept, i * classes);
    const data = X.contiguousData();
    gemm(false, true, rows, classes, features, 1, data, features, coef, features, 1, out, classes);
    return scores;
  }

  /**
   * The objective's memory for X and the rows' weights (null: all 1), in arrays made by
   * `allocator`, which must make shared arrays when `shared` (worker threads take part).
   */
  private objectiveMemory(
    X: Tensor,
    y: Int32Array,
    weights: Float64Array | null,
    nClasses: number,
    shared: boolean,
    allocator: Allocator,
  ) {
    const [rows, features] = X.matrixShape('X');
    const data = X.contiguousData();
    const nonzeros = this.sparseInputNonzeros(X);
    const size = (features + 1) * nClasses;
    const blocks = blockCount(rows);
    let totalWeight = rows;
    if (weights !== null) {
      totalWeight = 0;
      for (let i = 0; i < rows; i++) totalWeight += weights[i];
    }
    const memory: SoftmaxMemory = {
      id: newMemoryId(),
      rows,
      features,
      classes: nClasses,
      penalty: 1 / (this.params.C * totalWeight),
      weights: shared && weights !== null ? sharedCopy(weights) : weights,
      totalWeight,
      input:
        nonzeros !== null
          ? { format: 'sparse', ...SparseRows.fromDense(data, rows, features, allocator, nonzeros) }
          : { format: 'dense', x: shared ? sharedCopy(data) : data },
      labels: shared ? sharedCopy(y) : y,
      allRows: identity(rows, allocator),
      params: allocator('float64', size),
      blockGradients: allocator('float64', blocks * size),
      blockLosses: allocator('float64', blocks),
    };
    return { memory, sparseInput: nonzeros !== null };
  }

  /**
   * Full-batch L-BFGS from W = 0, b = 0, preconditioned by the inverse Hessian diagonal at the
   * start. With worker threads, each evaluation spreads the objective's blocks over them.
   */
  private async fitLbfgs(
    X: Tensor,
    y: Int32Array,
    weights: Float64Array | null,
    nClasses: number,
    options: ResolvedFitOptions,
    pool: FitPool,
    allocator: Allocator,
  ) {
    const { maxIter, tol } = this.params;
    const threaded = pool.threads > 1;
    const { memory, sparseInput } = this.objectiveMemory(X, y, weights, nClasses, threaded, allocator); // prettier-ignore
    const objective = new SoftmaxObjective(memory, undefined, allocator);
    const evaluate: Objective = !threaded
      ? (params, gradient) => objective.evaluate(params, gradient)
      : async (params, gradient) => {
          memory.params.set(params);
          await pool.map(EVALUATE_BLOCKS, blockJobs(memory, objective.blocks, pool.threads));
          return objective.combine(gradient);
        };
    const lossHistory: number[] = [];
    const result = await minimizeLbfgs(evaluate, new Float64Array(objective.size), {
      maxIterations: maxIter,
      gradientTolerance: tol,
      preconditioner: objective.diagonalPreconditioner(),
      onIteration: async ({ iteration, value }) => {
        lossHistory.push(value);
        options.onProgress({ stage: 'iteration', step: iteration, total: maxIter, loss: value });
        await yieldToEventLoop();
        options.signal?.throwIfAborted();
      },
    });
    const info = {
      solver: 'lbfgs' as const,
      iterations: result.iterations,
      stopReason: result.stopReason,
      lossHistory,
    };
    return { params: result.x, info, sparseInput };
  }

  /** Epochs of shuffled mini-batches with Adam or SGD + momentum, on float32 parameters. */
  private async fitMiniBatch(
    X: Tensor,
    y: Int32Array,
    weights: Float64Array | null,
    nClasses: number,
    options: ResolvedFitOptions,
    allocator: Allocator,
  ) {
    const rows = X.shape[0];
    const batchSize = Math.min(this.params.batchSize, rows);
    const { memory, sparseInput } = this.objectiveMemory(X, y, weights, nClasses, false, allocator); // prettier-ignore
    const objective = new SoftmaxObjective(memory, batchSize, allocator);
    const { solver, maxIter, tol, learningRate, momentum, lrSchedule, lrDecay } = this.params;
    const trainer = new MiniBatchTrainer(objective.size, solver, momentum);
    const rng = new Rng(options.seed);
    const order = rng.permutation(rows);
    const lossHistory: number[] = [];
    let stopReason: SoftmaxFitInfo['stopReason'] = 'max-epochs';
    let bestLoss = Infinity;
    let bestEpoch = 0;

    for (let epoch = 0; epoch < maxIter; epoch++) {
      rng.shuffle(order);
      const rate = learningRateAt(lrSchedule, learningRate, epoch, maxIter, lrDecay);
      const loss = trainer.epoch(objective, order, rows, batchSize, rate);
      lossHistory.push(loss);
      options.onProgress({ stage: 'epoch', step: epoch + 1, total: maxIter, loss });
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      if (loss < bestLoss - tol) {
        bestLoss = loss;
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= EPOCHS_WITHOUT_IMPROVEMENT) {
        stopReason = 'loss';
        break;
      }
    }
    const info = { solver, iterations: lossHistory.length, stopReason, lossHistory };
    return { params: trainer.parameters(), info, sparseInput, trainer };
  }

  /**
   * One pass (epoch) over the rows of `X` in shuffled mini-batches of `batchSize`, continuing
   * from the model's weights and its solver's state, as scikit-learn's `partial_fit`: for
   * data that come in batches, or do not fit in memory at once. Needs `solver: 'adam'` or
   * `'sgd'`.
   *
   * - The first call to an unfitted model needs `options.classes`, every label the model is to
   *   know; any later batch may hold any of them (a label outside them is a `ValueError`).
   *   It starts from W = 0 as `fit` does, so one call over all the rows gives bit for bit the
   *   model of `fit` with `maxIter: 1` and the same `seed`.
   * - Each call continues the optimiser: Adam's moments or SGD's velocity, the step count,
   *   and the learning-rate schedule, whose epoch is the number of passes so far (fit's epochs
   *   and partialFit calls), held at its last epoch `maxIter - 1` after that. `maxIter` and
   *   `tol` do not stop a call. A model fitted by `fit` continues its solver's state; a model
   *   restored from a file has none and starts a fresh optimiser (zero moments, schedule at
   *   epoch 0) from its weights.
   * - The call's rows are the data set of its epoch: `seed` shuffles them, `sampleWeight`
   *   weighs them relative to each other, and the L2 term is ||W||^2 / (2 C S) with S the
   *   call's total weight (its row count without weights), as in `fit` on these rows. With
   *   k equal batches, C k regularises as C does in `fit` on all of them.
   *   `classWeight: 'balanced'` needs the class totals of all the data and is refused.
   * - It runs on one thread, as `fit`'s mini-batch solvers do (`threads` is accepted).
   * - A failed or aborted call leaves the model, and its solver's state, as they were.
   */
  async partialFit(
    X: FeaturesInput,
    y: ArrayLike<Label>,
    options: PartialFitOptions = {},
  ): Promise<this> {
    if (this.params.solver === 'lbfgs') {
      throw new ValueError(
        "SoftmaxRegression.partialFit needs a mini-batch solver, 'adam' or 'sgd'; this model's " +
          "solver is 'lbfgs', which works on the full batch: create the model with " +
          "{ solver: 'adam' } or { solver: 'sgd' }",
      );
    }
    let trainer: MiniBatchTrainer | undefined;
    try {
      return await this.partialFitWith(X, y, options, (x, encoded, nClasses, resolved) => {
        trainer = this.trainerToContinue(x.shape[1], nClasses);
        trainer.checkpoint();
        return this.partialFitPass(trainer, { X: x, y: encoded, nClasses }, resolved);
      });
    } catch (error) {
      trainer?.rollback();
      throw error;
    }
  }

  /** The fitted model's solver state, or a fresh one, holding the fitted weights (if any). */
  private trainerToContinue(features: number, nClasses: number): MiniBatchTrainer {
    const { solver, momentum } = this.params;
    const previous = this.isFitted ? this.state : undefined;
    const trainer =
      previous?.trainer ?? new MiniBatchTrainer((features + 1) * nClasses, solver, momentum);
    if (previous !== undefined) trainer.load(previous.coef, previous.intercept, features, nClasses);
    return trainer;
  }

  /** One epoch of `trainer` over the rows of a `partialFit` call. */
  private async partialFitPass(
    trainer: MiniBatchTrainer,
    { X, y, nClasses }: { X: Tensor; y: Int32Array; nClasses: number },
    options: ResolvedFitOptions,
  ): Promise<Fitted<SoftmaxState, SoftmaxFitInfo>> {
    const [rows, features] = X.matrixShape('X');
    const { C, solver, batchSize, maxIter, learningRate, lrSchedule, lrDecay } = this.params;
    // classWeight is null here: partialFitWith refuses 'balanced'.
    const { combined } = resolveFitWeights(null, y, nClasses, options.sampleWeight);
    trainer.batches ??= new PartialFitObjective(features, nClasses);
    const sparseInput = this.sparseInputNonzeros(X) !== null;
    const size = Math.min(batchSize, rows);
    const { objective, order } = trainer.batches.load(X, y, combined, C, sparseInput, size);
    // fit's draws for its first epoch: the permutation (a shuffle of 0..n-1), then its shuffle.
    const rng = new Rng(options.seed);
    rng.shuffle(order);
    rng.shuffle(order);
    const epoch = Math.min(trainer.epochs, maxIter - 1);
    const rate = learningRateAt(lrSchedule, learningRate, epoch, maxIter, lrDecay);
    const loss = trainer.epoch(objective, order, rows, size, rate);
    trainer.batches.release();
    options.onProgress({ stage: 'epoch', step: 1, total: 1, loss });
    await yieldToEventLoop();
    options.signal?.throwIfAborted();
    const previous = this.isFitted ? this.info.lossHistory : undefined;
    const lossHistory = [...(Array.isArray(previous) ? previous : []), loss];
    const state = toClassMajor(trainer.parameters(), features, nClasses);
    return {
      state: { ...state, trainer },
      info: {
        solver,
        iterations: lossHistory.length,
        stopReason: 'partial-fit',
        lossHistory,
        sparseInput,
      },
    };
  }

  /**
   * X's count of nonzero values when the products with X's rows go through their nonzeros
   * (`inputFormat`), null for the dense form (counted once: the sparse arrays are sized by it).
   */
  private sparseInputNonzeros(X: Tensor): number | null {
    const { inputFormat } = this.params;
    if (inputFormat === 'dense') return null;
    const nonzeros = countNonzeros(X.contiguousData(), X.size);
    if (inputFormat === 'sparse') return nonzeros;
    return nonzeros <= SPARSE_DENSITY_THRESHOLD * X.size ? nonzeros : null;
  }
}

/**
 * What the mini-batch solvers keep from one epoch to the next, and from `fit` or one
 * `partialFit` call to the next: the float32 parameters the optimiser updates (feature-major,
 * as {@link SoftmaxObjective} reads them, in float64 copies), the optimiser with its moments
 * (Adam) or velocity (SGD), the steps and epochs done, and the buffers of partialFit calls.
 * A checkpoint taken at the start of a partialFit call puts it back if the call fails.
 */
class MiniBatchTrainer {
  private readonly params32: Float32Array;
  private readonly gradient32: Float32Array;
  private readonly params64: Float64Array;
  private readonly gradient64: Float64Array;
  private readonly optimizer: Adam | SgdMomentum;
  /** Optimiser steps (mini-batches) done: Adam's bias corrections count them. */
  private step = 0;
  /** Epochs done, fit's and partialFit's: where the learning-rate schedule is. */
  epochs = 0;
  /** The rows of partialFit calls, in buffers kept from call to call. */
  batches: PartialFitObjective | undefined;
  private readonly saved = new OptimizerCheckpoint();

  constructor(size: number, solver: SoftmaxRegressionOptions['solver'], momentum: number) {
    this.params32 = new Float32Array(size);
    this.gradient32 = new Float32Array(size);
    this.params64 = new Float64Array(size);
    this.gradient64 = new Float64Array(size);
    this.optimizer =
      solver === 'adam'
        ? new Adam(this.params32, this.gradient32)
        : new SgdMomentum(this.params32, this.gradient32, { momentum });
  }

  /**
   * One epoch: the rows `order[0..rows)` in mini-batches of `batchSize`, each an optimiser
   * step at `rate`. Returns the mean training loss over the epoch's batches.
   */
  epoch(
    objective: SoftmaxObjective,
    order: Int32Array,
    rows: number,
    batchSize: number,
    rate: number,
  ): number {
    const { params32, gradient32, params64, gradient64, optimizer } = this;
    let lossSum = 0;
    for (let start = 0; start < rows; start += batchSize) {
      const count = Math.min(batchSize, rows - start);
      params64.set(params32);
      const batch = order.subarray(start, start + count);
      lossSum += count * objective.evaluateBatch(batch, count, params64, gradient64);
      gradient32.set(gradient64);
      optimizer.update(++this.step, rate, 0, objective.size);
    }
    this.epochs++;
    return lossSum / rows;
  }

  /** The parameters, feature-major in float64 (a buffer of the trainer's, valid until its next epoch). */
  parameters(): Float64Array {
    this.params64.set(this.params32);
    return this.params64;
  }

  /** Sets the parameters from a fitted state's class-major `coef` and `intercept`. */
  load(coef: Float32Array, intercept: Float32Array, features: number, classes: number): void {
    const { params32 } = this;
    for (let j = 0; j < features; j++) {
      for (let k = 0; k < classes; k++) params32[j * classes + k] = coef[k * features + j];
    }
    params32.set(intercept, features * classes);
  }

  /** Remembers the optimiser's state, the steps and the epochs, for {@link rollback}. */
  checkpoint(): void {
    this.saved.save(this.optimizer.state, this.step, this.epochs);
  }

  /** Puts back what the last {@link checkpoint} remembered (the parameters are reloaded per call). */
  rollback(): void {
    const counters = this.saved.restore(this.optimizer.state);
    if (counters === undefined) return;
    this.step = counters.step;
    this.epochs = counters.epochs;
  }
}

const NO_ROWS = new Int32Array(0);
const NO_NUMBERS = new Float64Array(0);

/**
 * The objective over the rows of one `partialFit` call, in buffers kept from call to call:
 * the rows (dense, or their nonzeros as compressed sparse rows) and their order are written
 * into arrays sized for the largest call so far, and the {@link SoftmaxObjective} over them
 * is made anew only when they must grow or the input format changes. The objective's
 * products keep the input arrays it was made with, while it reads the row count, labels,
 * weights and penalty from its memory at each evaluation: those are set per call.
 */
class PartialFitObjective {
  private memory: SoftmaxMemory | undefined;
  private objective: SoftmaxObjective | undefined;
  private batchCapacity = 0;
  private order = NO_ROWS;

  constructor(
    private readonly features: number,
    private readonly classes: number,
  ) {}

  /**
   * The objective over the rows of X (labels `y`, row weights `weights`, null for all 1) for
   * mini-batches of up to `batchSize` rows, and the rows 0..n-1 in order, to be shuffled.
   */
  load(
    X: Tensor,
    y: Int32Array,
    weights: Float64Array | null,
    C: number,
    sparse: boolean,
    batchSize: number,
  ): { objective: SoftmaxObjective; order: Int32Array } {
    const rows = X.shape[0];
    const data = X.contiguousData();
    const { memory, objective } = this.roomFor(data, rows, sparse, batchSize);
    const { input } = memory;
    if (input.format === 'dense') input.x.set(data);
    else fillSparseRows(data, rows, this.features, input.rowStart, input.columns, input.values);
    let totalWeight = rows;
    if (weights !== null) {
      totalWeight = 0;
      for (let i = 0; i < rows; i++) totalWeight += weights[i];
    }
    memory.rows = rows;
    memory.labels = y;
    memory.weights = weights;
    memory.totalWeight = totalWeight;
    memory.penalty = 1 / (C * totalWeight);
    objective.inputChanged();
    if (this.order.length < rows) this.order = new Int32Array(rows);
    const order = this.order.subarray(0, rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    return { objective, order };
  }

  /** Lets go of the call's labels and weights (the caller's arrays). */
  release(): void {
    if (this.memory === undefined) return;
    this.memory.labels = NO_ROWS;
    this.memory.weights = null;
  }

  /** The memory and objective, made anew when the call's rows do not fit the kept ones. */
  private roomFor(data: Float32Array, rows: number, sparse: boolean, batchSize: number) {
    const { features, classes } = this;
    const values = sparse ? countNonzeros(data) : rows * features;
    const kept = this.memory?.input;
    // What the kept arrays hold room for: rows, and values (nonzeros, or all of X's).
    let room = { rows: 0, values: 0 };
    if (kept?.format === 'sparse' && sparse) {
      room = { rows: kept.rowStart.length - 1, values: kept.values.length };
    } else if (kept?.format === 'dense' && !sparse) {
      room = { rows: kept.x.length / features, values: kept.x.length };
    }
    if (
      this.memory !== undefined &&
      this.objective !== undefined &&
      rows <= room.rows &&
      values <= room.values &&
      batchSize <= this.batchCapacity
    ) {
      return { memory: this.memory, objective: this.objective };
    }
    // Room for this call and for the largest before it.
    const rowCapacity = Math.max(rows, room.rows);
    const valueCapacity = Math.max(values, room.values);
    this.batchCapacity = Math.max(batchSize, this.batchCapacity);
    const input: SoftmaxMemory['input'] = sparse
      ? {
          format: 'sparse',
          rowStart: new Int32Array(rowCapacity + 1),
          columns: new Int32Array(valueCapacity),
          values: new Float32Array(valueCapacity),
        }
      : { format: 'dense', x: new Float32Array(valueCapacity) };
    const memory: SoftmaxMemory = {
      id: newMemoryId(),
      // 0 rows while the objective is made: buffers for mini-batches only, no full-batch blocks.
      rows: 0,
      features,
      classes,
      penalty: 0,
      // Not null while the objective is made, so that it makes room for a batch's weights.
      weights: NO_NUMBERS,
      totalWeight: 0,
      input,
      labels: NO_ROWS,
      allRows: NO_ROWS,
      params: NO_NUMBERS,
      blockGradients: NO_NUMBERS,
      blockLosses: NO_NUMBERS,
    };
    this.memory = memory;
    this.objective = new SoftmaxObjective(memory, this.batchCapacity);
    return { memory, objective: this.objective };
  }
}

/** One job per thread, each a contiguous run of blocks. */
function blockJobs(memory: SoftmaxMemory, blocks: number, threads: number): BlockJob[] {
  const perThread = Math.ceil(blocks / threads);
  const jobs: BlockJob[] = [];
  for (let first = 0; first < blocks; first += perThread) {
    jobs.push({ memory, first, last: Math.min(blocks, first + perThread) });
  }
  return jobs;
}

/** 0, 1, ..., n - 1. */
function identity(n: number, allocator: Allocator): Int32Array {
  const out = allocator('int32', n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** The feature-major float64 parameters as float32 coef [classes, features] and intercepts. */
function toClassMajor(params: Float64Array, features: number, classes: number): SoftmaxState {
  const coef = new Float32Array(classes * features);
  for (let j = 0; j < features; j++) {
    for (let k = 0; k < classes; k++) coef[k * features + j] = params[j * classes + k];
  }
  const intercept = Float32Array.from(params.subarray(features * classes));
  return { coef, intercept };
}
