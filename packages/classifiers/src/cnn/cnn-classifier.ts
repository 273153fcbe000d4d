import type { Label } from '@typedlearn/metrics';
import {
  Rng,
  Tensor,
  ValueError,
  allocatorFor,
  argmaxRows,
  sharedCopy,
  softmaxRows,
  type DType,
} from '@typedlearn/tensor';
import { BaseClassifier, type Fitted } from '../base-classifier.js';
import {
  CLASS_WEIGHT_DESCRIPTION,
  checkClassWeight,
  resolveFitWeights,
  type ClassWeight,
  type FitWeights,
} from '../class-weight.js';
import type {
  FitOptions,
  ModelState,
  PartialFitOptions,
  ResolvedFitOptions,
} from '../classifier.js';
import { describeHyperParameters } from '../hyper-parameters.js';
import type { FeaturesInput } from '../input.js';
import type { EpochRecord } from '../mlp/index.js';
import { checkModelType, stateTensor } from '../model-state.js';
import {
  LEARNING_RATE_SCHEDULES,
  learningRateAt,
  type LearningRateSchedule,
} from '../optim/learning-rate-schedule.js';
import { checkBoolean, checkChoice, checkNumber } from '../params.js';
import { runFit, type FitPool } from '../parallel/fit-pool.js';
import { newMemoryId } from '../parallel/thread-local.js';
import { TRANSFORM_VALUES, checkAugmentation, type Augmentation } from './augmentation.js';
import { BatchRunner } from './batch-runner.js';
import { ConvNet } from './conv-net.js';
import { checkSameImageShape, imageRows } from './image-batch.js';
import { checkImageShape, resolveImageShape, type ImageShape } from './image-shape.js';
import { initializeParameters } from './initialization.js';
import { checkLayerSpecs, copyLayerSpecs, type LayerSpec } from './layer-spec.js';
import { ConvNetLayout } from './network-layout.js';
import { ResumableTraining } from './resumable-training.js';
import { describeLayout } from './summary.js';
import { CHUNKS_PER_BATCH, type TrainingMemory } from './training-memory.js';
import { FitEpochs, partialFitHistory } from '../network-epochs.js';
import { splitRows, weightTotals } from '../training-rows.js';

/** Hyper-parameters of {@link ConvNetClassifier}. */
export interface ConvNetClassifierOptions {
  /**
   * [height, width, channels] of the image in each row of X (NHWC: pixel by pixel, the
   * channels of a pixel together). Default null: a square single-channel image when the number
   * of features is a square (784 -> [28, 28, 1]), otherwise a single row of pixels, or the
   * shape of a 4-D [N, H, W, C] X.
   */
  imageShape: [number, number, number] | null;
  /**
   * The layers, input side first ({@link LayerSpec}); the dense layer to the classes and the
   * softmax come after them. Default {@link DEFAULT_CNN_LAYERS}.
   */
  layers: LayerSpec[];
  /** `'adam'` or `'sgd'` (with momentum). Default `'adam'`. */
  solver: 'adam' | 'sgd';
  /** Base step size (> 0), before the schedule. Default 0.002. */
  learningRate: number;
  /** Momentum of `'sgd'`, in [0, 1). Default 0.9. */
  momentum: number;
  /** Rows per mini-batch (integer >= 1). Default 128. */
  batchSize: number;
  /** Passes over the training rows (integer >= 1). Default 10. */
  epochs: number;
  /** L2 weight decay: (l2 / 2) * sum ||W||^2 is added to the mean loss (>= 0). Default 0. */
  l2: number;
  /** Learning-rate schedule over the epochs. Default `'cosine'`. */
  lrSchedule: LearningRateSchedule;
  /** Factor per epoch of the `'exponential'` schedule, in (0, 1]. Default 0.95. */
  lrDecay: number;
  /**
   * Random shifts (pixels) and rotations (degrees) of each training image each time it is
   * trained on ({@link Augmentation}); null trains on the images as they are. Default
   * `{ shift: 2, rotate: 10 }`. These distortions suit images; set null for other data.
   */
  augment: Augmentation | null;
  /**
   * Share of the training rows held out (at random) to measure validation accuracy after
   * every epoch, in [0, 0.9]. Default 0: train on every row.
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
   * `'balanced'` weighs the loss of the samples of class k by W / (nClasses * W_k), W_k the
   * total sample weight of class k (see {@link ClassWeight}); null weighs every class 1.
   * Default null.
   */
  classWeight: ClassWeight;
}

/**
 * The default architecture, LeNet-5's shape (LeCun et al., "Gradient-based learning applied to
 * document recognition", Proc. IEEE 1998) with more filters, ReLU, max pooling and dropout:
 * two 5x5 convolutions without padding, of 16 and 32 filters, each followed by 2x2 max
 * pooling (28 -> 24 -> 12 -> 8 -> 4) and ReLU, then 128 dense units with dropout 0.25.
 * Pooling comes before ReLU because max and ReLU commute (relu(max x) = max relu(x), with the
 * same winner and the same gradients), and ReLU then runs on a quarter of the values.
 * docs/cnn.md says how it was chosen.
 */
export const DEFAULT_CNN_LAYERS: readonly LayerSpec[] = Object.freeze(
  copyLayerSpecs<LayerSpec[]>([
    { type: 'conv2d', filters: 16, kernelSize: 5 },
    { type: 'maxPool', size: 2 },
    { type: 'relu' },
    { type: 'conv2d', filters: 32, kernelSize: 5 },
    { type: 'maxPool', size: 2 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 128 },
    { type: 'relu' },
    { type: 'dropout', rate: 0.25 },
  ]),
);

/** The defaults of {@link ConvNetClassifierOptions}. */
export const CNN_CLASSIFIER_DEFAULTS: Readonly<ConvNetClassifierOptions> = Object.freeze({
  imageShape: null,
  layers: DEFAULT_CNN_LAYERS as LayerSpec[],
  solver: 'adam',
  learningRate: 0.002,
  momentum: 0.9,
  batchSize: 128,
  epochs: 10,
  l2: 0,
  lrSchedule: 'cosine',
  lrDecay: 0.95,
  augment: Object.freeze({ shift: 2, rotate: 10 }),
  validationFraction: 0,
  earlyStopping: false,
  patience: 5,
  tol: 0,
  classWeight: null,
});

/** Each hyper-parameter of {@link ConvNetClassifier}, with its default and meaning. */
export const CNN_CLASSIFIER_PARAMETERS = describeHyperParameters(CNN_CLASSIFIER_DEFAULTS, {
  imageShape:
    '[height, width, channels] of each row (NHWC); null: square single-channel when the feature count is a square, else one row',
  layers:
    "layer specs, input side first: conv2d {filters, kernelSize, stride, padding: 'same'|n}, maxPool/avgPool {size, stride}, dense {units}, relu, dropout {rate}, flatten",
  solver: "'adam' or 'sgd' (with momentum)",
  learningRate: 'base step size (> 0), before the schedule',
  momentum: "momentum of 'sgd', in [0, 1)",
  batchSize: 'rows per mini-batch (integer >= 1)',
  epochs: 'passes over the training rows (integer >= 1)',
  l2: 'L2 weight decay (>= 0)',
  lrSchedule: "learning-rate schedule: 'constant', 'cosine' or 'exponential'",
  lrDecay: "factor per epoch of the 'exponential' schedule, in (0, 1]",
  augment:
    'random distortion of each training image, { shift: pixels, rotate: degrees }, or null for none',
  validationFraction:
    'share of the training rows held out to measure validation accuracy, in [0, 0.9]',
  earlyStopping:
    'stop when validation accuracy stops improving, keeping the best epoch (needs validationFraction)',
  patience: 'epochs without improvement before early stopping (integer >= 1)',
  tol: 'smallest validation-accuracy gain that counts as an improvement (>= 0)',
  classWeight: CLASS_WEIGHT_DESCRIPTION,
});

/** What {@link ConvNetClassifier} records about its fit in `info`. */
export interface ConvNetFitInfo {
  /** Per epoch: loss, accuracy on the batches as trained, validation accuracy, learning rate, time. */
  history: EpochRecord[];
  /** Why training stopped; `'partial-fit'` when the last epoch was a `partialFit` call. */
  stopReason: 'epochs' | 'early-stopping' | 'partial-fit';
  /** The epoch whose weights were kept (the best validation epoch with early stopping). */
  bestEpoch: number;
}

interface ConvNetState {
  layout: ConvNetLayout;
  params: Float32Array;
  /**
   * The optimiser's state after `fit` or `partialFit`, which the next `partialFit` continues;
   * absent in a model restored from a file.
   */
  training?: ResumableTraining;
}

/** The name errors give. */
const OWNER = 'ConvNetClassifier';

/** The state tensor holding the fitted [height, width, channels]. */
const IMAGE_SHAPE_TENSOR = 'imageShape';

/** The image shape a model file saved, checked against its feature count. */
function savedImageShape(state: ModelState, features: number): ImageShape {
  const spec = { dtype: 'int32', shape: [3] } as const;
  const [height, width, channels] = stateTensor(state, OWNER, IMAGE_SHAPE_TENSOR, spec);
  checkImageShape(OWNER, [height, width, channels]);
  return resolveImageShape(OWNER, [height, width, channels], features);
}

/** Images per forward pass when predicting. */
const PREDICT_CHUNK = 64;

/**
 * A convolutional neural network classifier for images: convolutions (im2col + GEMM), max or
 * average pooling, ReLU, dropout and dense layers from a plain list of layer specs, and a
 * softmax output, trained on the cross-entropy by mini-batch Adam or SGD with momentum, with L2
 * weight decay, a learning-rate schedule, optional random shifts and rotations of the training
 * images, and optional early stopping on a held-out split. `info.history` holds per-epoch loss
 * and accuracies for learning curves.
 *
 * ```ts
 * const cnn = await new ConvNetClassifier({ epochs: 5 }).fit(X, y, { threads: 2 });
 * console.log(cnn.summary());
 * ```
 *
 * X holds one image per row, NHWC (`imageShape`; MNIST's 784 pixels are a 28 x 28 x 1 image
 * by default), or is a 4-D [N, H, W, C] tensor of images. Training is data-parallel:
 * each mini-batch is cut into a fixed number of chunks whose gradients the threads compute and
 * the calling thread adds in a fixed order, so any `threads` gives the same model (see
 * batch-runner.ts). `sampleWeight` and `classWeight` weigh each batch's mean loss as in
 * `MLPClassifier`. The default layers and augmentation were chosen for handwritten digits and
 * need images of at least 13 x 13 pixels; for other data give `layers` and `augment: null`.
 * See docs/cnn.md for the math and how the defaults were chosen.
 */
export class ConvNetClassifier extends BaseClassifier<
  ConvNetClassifierOptions,
  ConvNetState,
  ConvNetFitInfo
> {
  readonly modelType = 'cnn';
  /** The image shape of the 4-D X of the fit or partialFit under way, else null. */
  #batchImageShape: ImageShape | null = null;

  constructor(options?: Partial<ConvNetClassifierOptions>) {
    super(OWNER, { ...CNN_CLASSIFIER_DEFAULTS }, ownCopy(options));
  }

  /** Restores a fitted network from {@link ConvNetClassifier.toState}'s output, validating it. */
  static fromState(state: ModelState): ConvNetClassifier {
    checkModelType(state, OWNER, 'cnn');
    const model = new ConvNetClassifier(state.params as Partial<ConvNetClassifierOptions>);
    const shape = savedImageShape(state, state.nFeatures);
    const layout = new ConvNetLayout(shape, model.params.layers, state.classes.length);
    const params = new Float32Array(layout.parameterCount);
    for (const layer of layout.layers) {
      const block = layer.parameters;
      if (block === null) continue;
      const weightSpec = {
        dtype: 'float32',
        shape: layout.weightShape(layer),
        finite: true,
      } as const;
      const biasSpec = { dtype: 'float32', shape: [block.units], finite: true } as const;
      params.set(stateTensor(state, OWNER, `${layer.name}.weight`, weightSpec), block.weightOffset);
      params.set(stateTensor(state, OWNER, `${layer.name}.bias`, biasSpec), block.biasOffset);
    }
    return model.restore(state, { layout, params });
  }

  /** As every classifier's `fit`; X may also be a 4-D [N, H, W, C] tensor of images. */
  override async fit(X: FeaturesInput, y: ArrayLike<Label>, options?: FitOptions): Promise<this> {
    const { rows, shape } = imageRows(OWNER, X);
    this.#batchImageShape = shape;
    try {
      return await super.fit(rows, y, options);
    } finally {
      this.#batchImageShape = null;
    }
  }

  /**
   * The fitted network as a text table: each layer, the shape of its output for one image and
   * its parameter count, and the total (see {@link convNetSummary} before fitting).
   */
  summary(): string {
    return describeLayout(this.state.layout);
  }

  /** Class probabilities [samples, classes], in the order of `classes`. */
  predictProba(X: FeaturesInput): Tensor {
    const logits = this.logits(this.checkInput(X));
    softmaxRows(logits.data, logits.shape[0], logits.shape[1]);
    return logits;
  }

  /**
   * One epoch over the rows of `X` in shuffled mini-batches, continuing from the model's
   * weights and its optimiser's state (scikit-learn's `partial_fit`), exactly as
   * `MLPClassifier.partialFit` does: the first call to an unfitted model needs
   * `options.classes` and initialises the weights as `fit` does, so one call over all the rows
   * gives bit for bit the model of `fit` with `epochs: 1`, the same `seed` and
   * `validationFraction: 0`; each call continues Adam's moments (or SGD's velocity), the step
   * count and the learning-rate schedule (held at its last epoch `epochs - 1` after that).
   * `validationFraction`, `earlyStopping`, `patience` and `tol` belong to `fit`; `classWeight:
   * 'balanced'` is refused. A failed or aborted call leaves the model and its optimiser as they
   * were.
   */
  async partialFit(
    X: FeaturesInput,
    y: ArrayLike<Label>,
    options: PartialFitOptions = {},
  ): Promise<this> {
    let training: ResumableTraining | undefined;
    const { rows, shape } = imageRows(OWNER, X);
    if (this.isFitted) {
      checkSameImageShape(OWNER, shape, this.state.layout.imageShape, 'the model was fitted on');
    }
    this.#batchImageShape = shape;
    try {
      return await this.partialFitWith(rows, y, options, (x, encoded, nClasses, resolved) =>
        runFit(resolved, (pool) => {
          const p = this.params;
          const previous = this.isFitted ? this.state : undefined;
          const layout = previous?.layout ?? this.layoutFor(x.shape[1], nClasses);
          training =
            previous?.training ??
            new ResumableTraining(p.solver, p.momentum, layout.parameterCount);
          training.checkpoint();
          return this.trainPass(training, layout, previous, x, encoded, resolved, pool);
        }),
      );
    } catch (error) {
      training?.rollback();
      throw error;
    } finally {
      this.#batchImageShape = null;
    }
  }

  /** As every classifier's; a 4-D X must hold images of the fitted shape. */
  protected override checkInput(X: FeaturesInput): Tensor {
    const { rows, shape } = imageRows(OWNER, X);
    checkSameImageShape(OWNER, shape, this.state.layout.imageShape, 'the model was fitted on');
    return super.checkInput(rows);
  }

  protected validateParams(params: ConvNetClassifierOptions): void {
    const owner = OWNER;
    checkImageShape(owner, params.imageShape);
    checkLayerSpecs(owner, params.layers);
    checkChoice(owner, 'solver', params.solver, ['adam', 'sgd'] as const);
    checkNumber(owner, 'learningRate', params.learningRate, { min: 0, exclusiveMin: true });
    checkNumber(owner, 'momentum', params.momentum, { min: 0, max: 0.999999 });
    checkNumber(owner, 'batchSize', params.batchSize, { integer: true, min: 1 });
    checkNumber(owner, 'epochs', params.epochs, { integer: true, min: 1 });
    checkNumber(owner, 'l2', params.l2, { min: 0 });
    checkChoice(owner, 'lrSchedule', params.lrSchedule, LEARNING_RATE_SCHEDULES);
    checkNumber(owner, 'lrDecay', params.lrDecay, { min: 0, exclusiveMin: true, max: 1 });
    checkAugmentation(owner, params.augment);
    checkNumber(owner, 'validationFraction', params.validationFraction, { min: 0, max: 0.9 });
    checkBoolean(owner, 'earlyStopping', params.earlyStopping);
    if (params.earlyStopping && params.validationFraction === 0) {
      throw new ValueError(
        `${owner}: earlyStopping needs validationFraction > 0 to measure improvement, got 0`,
      );
    }
    checkNumber(owner, 'patience', params.patience, { integer: true, min: 1 });
    checkNumber(owner, 'tol', params.tol, { min: 0 });
    checkClassWeight(owner, params.classWeight);
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<ConvNetState, ConvNetFitInfo>> {
    const layout = this.layoutFor(X.shape[1], nClasses);
    return runFit(options, (pool) => this.train(layout, X, y, options, pool));
  }

  protected predictEncoded(X: Tensor): Int32Array {
    const logits = this.logits(X);
    const [rows, classes] = logits.shape;
    return argmaxRows(logits.data, rows, classes, new Int32Array(rows));
  }

  protected stateTensors(state: ConvNetState): Record<string, Tensor<DType>> {
    const { layout, params } = state;
    const tensors: Record<string, Tensor<DType>> = {
      [IMAGE_SHAPE_TENSOR]: new Tensor(Int32Array.from(layout.imageShape), [3]),
    };
    for (const layer of layout.layers) {
      const block = layer.parameters;
      if (block === null) continue;
      const { weightOffset, biasOffset, fanIn, units } = block;
      const weights = params.subarray(weightOffset, weightOffset + fanIn * units);
      tensors[`${layer.name}.weight`] = new Tensor(weights, layout.weightShape(layer));
      tensors[`${layer.name}.bias`] = new Tensor(params.subarray(biasOffset, biasOffset + units), [
        units,
      ]);
    }
    return tensors;
  }

  /** The network of these layers on rows of `features` values, ending in `classes` logits. */
  private layoutFor(features: number, classes: number): ConvNetLayout {
    const { imageShape, layers } = this.params;
    const given = this.#batchImageShape;
    if (given !== null && imageShape !== null) {
      checkSameImageShape(OWNER, given, imageShape, 'imageShape says');
    }
    const shape = resolveImageShape(OWNER, imageShape ?? given, features);
    return new ConvNetLayout(shape, layers, classes);
  }

  /**
   * The training loop: epochs of shuffled mini-batches, each cut into chunks that run forward,
   * through the softmax cross-entropy and backward on the fit's threads, then summed into one
   * optimiser step (see {@link BatchRunner}).
   */
  private async train(
    layout: ConvNetLayout,
    X: Tensor,
    y: Int32Array,
    options: ResolvedFitOptions,
    pool: FitPool,
  ): Promise<Fitted<ConvNetState, ConvNetFitInfo>> {
    const p = this.params;
    const started = performance.now();
    const rng = new Rng(options.seed);
    const { trainRows, validationRows } = splitRows(X.shape[0], p.validationFraction, rng.fork(1));
    const weights = resolveFitWeights(p.classWeight, y, layout.classes, options.sampleWeight);
    const totals = weightTotals(OWNER, weights, trainRows, validationRows);
    const batchSize = Math.min(p.batchSize, trainRows.length);
    const training = new ResumableTraining(p.solver, p.momentum, layout.parameterCount);
    const rowLists = { train: trainRows, validation: validationRows };
    const memory = this.trainingMemory(layout, X, y, weights, rowLists, batchSize, pool, rng);
    initializeParameters(layout, memory.params, rng.fork(0));
    const runner = this.batchRunner(memory, layout, pool, training, options.signal);
    const shuffleRng = rng.fork(2);
    const augmentRng = rng.fork(4);

    const epochs = new FitEpochs(p, options);
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      const learningRate = learningRateAt(p.lrSchedule, p.learningRate, epoch, p.epochs, p.lrDecay);
      shuffleRng.shuffle(memory.rowLists.train);
      const trained = await runner.trainEpoch(batchSize, learningRate, training.step, augmentRng);
      training.step = trained.step;
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss: trained.crossEntropy / totals.loss + 0.5 * p.l2 * runner.weightSquares(),
        trainAccuracy: trained.correct / totals.train,
        learningRate,
        seconds: 0,
      };
      if (validationRows.length > 0) {
        record.validationAccuracy = (await runner.evaluate('validation')) / totals.validation;
      }
      record.seconds = (performance.now() - started) / 1000;
      if (await epochs.end(record, memory.params)) break;
    }
    const { history, stopReason, bestEpoch } = epochs;
    training.epochs = history.length;
    return {
      state: { layout, params: epochs.fittedParams(memory.params), training },
      info: { history, stopReason, bestEpoch },
    };
  }

  /** One `partialFit` epoch of `training` from `previous` (none: initialised as `fit` does). */
  private async trainPass(
    training: ResumableTraining,
    layout: ConvNetLayout,
    previous: ConvNetState | undefined,
    X: Tensor,
    y: Int32Array,
    options: ResolvedFitOptions,
    pool: FitPool,
  ): Promise<Fitted<ConvNetState, ConvNetFitInfo>> {
    const p = this.params;
    const rows = X.shape[0];
    const started = performance.now();
    const rng = new Rng(options.seed);
    // classWeight is null here: partialFitWith refuses 'balanced'.
    const weights = resolveFitWeights(null, y, layout.classes, options.sampleWeight);
    const allRows = Int32Array.from({ length: rows }, (_, i) => i);
    const totals = weightTotals(OWNER, weights, allRows, allRows.subarray(0, 0));
    const batchSize = Math.min(p.batchSize, rows);
    const rowLists = { train: allRows };
    const memory = this.trainingMemory(layout, X, y, weights, rowLists, batchSize, pool, rng);
    if (previous !== undefined) memory.params.set(previous.params);
    else initializeParameters(layout, memory.params, rng.fork(0));
    const runner = this.batchRunner(memory, layout, pool, training, options.signal);
    // fit's draws for its first epoch: the shuffle, the dropout masks, the distortions.
    rng.fork(2).shuffle(memory.rowLists.train);
    const epoch = Math.min(training.epochs, p.epochs - 1);
    const learningRate = learningRateAt(p.lrSchedule, p.learningRate, epoch, p.epochs, p.lrDecay);
    const trained = await runner.trainEpoch(batchSize, learningRate, training.step, rng.fork(4));
    training.step = trained.step;
    training.epochs++;
    const history = await partialFitHistory(
      this.isFitted ? this.info.history : undefined,
      {
        loss: trained.crossEntropy / totals.loss + 0.5 * p.l2 * runner.weightSquares(),
        trainAccuracy: trained.correct / totals.train,
        learningRate,
        seconds: (performance.now() - started) / 1000,
      },
      options,
    );
    return {
      state: { layout, params: memory.params.slice(), training },
      info: { history, stopReason: 'partial-fit', bestEpoch: history.length },
    };
  }

  /**
   * The memory a fit's chunks share: the rows, labels and weights (copied into shared memory
   * when threads take part), the parameters (zeros, for the caller to set), one gradient per
   * chunk, and the dropout and augmentation settings. Draws nothing from `rng`.
   */
  private trainingMemory(
    layout: ConvNetLayout,
    X: Tensor,
    y: Int32Array,
    weights: FitWeights,
    rowLists: Record<string, Int32Array>,
    batchSize: number,
    pool: FitPool,
    rng: Rng,
  ): TrainingMemory {
    const { augment, layers } = this.params;
    const threaded = pool.threads > 1;
    const allocator = allocatorFor(threaded);
    const share = <A extends Float32Array | Float64Array | Int32Array>(array: A): A =>
      threaded ? sharedCopy(array) : array;
    return {
      id: newMemoryId(),
      imageShape: layout.imageShape,
      layers,
      classes: layout.classes,
      chunkRows: Math.ceil(batchSize / CHUNKS_PER_BATCH),
      params: allocator('float32', layout.parameterCount),
      gradients: allocator('float32', CHUNKS_PER_BATCH * layout.parameterCount),
      chunkSums: allocator('float64', 2 * CHUNKS_PER_BATCH),
      x: share(X.contiguousData()),
      y: share(y),
      lossWeights: weights.combined === null ? null : share(weights.combined),
      sampleWeights: weights.sample === null ? null : share(weights.sample),
      rowLists: Object.fromEntries(
        Object.entries(rowLists).map(([name, rows]) => [name, share(rows)]),
      ),
      augment,
      transforms: augment === null ? null : allocator('float64', batchSize * TRANSFORM_VALUES),
      dropoutSeed: rng.fork(3).seed,
    };
  }

  private batchRunner(
    memory: TrainingMemory,
    layout: ConvNetLayout,
    pool: FitPool,
    training: ResumableTraining,
    signal: AbortSignal | undefined,
  ): BatchRunner {
    const gradient = memory.gradients.subarray(0, layout.parameterCount);
    const optimizer = training.optimizer(memory.params, gradient);
    return new BatchRunner(memory, layout, pool, optimizer, this.params.l2, signal);
  }

  /** Logits [samples, classes] of validated rows, by forward passes over chunks of rows. */
  private logits(X: Tensor): Tensor {
    const { layout, params } = this.state;
    const rows = X.shape[0];
    const { classes, features } = layout;
    const out = Tensor.zeros([rows, classes]);
    const data = X.contiguousData();
    const net = new ConvNet(layout, Math.max(1, Math.min(PREDICT_CHUNK, rows)), 'float32');
    for (let start = 0; start < rows; start += net.maxRows) {
      const count = Math.min(net.maxRows, rows - start);
      net.input.set(data.subarray(start * features, (start + count) * features));
      net.forward(params, count, null);
      out.data.set(net.logits.subarray(0, count * classes), start * classes);
    }
    return out;
  }
}

/**
 * The network `layers` (default {@link DEFAULT_CNN_LAYERS}) on images of `imageShape` with
 * `classes` outputs as a text table (see {@link ConvNetClassifier.summary}): to see the shapes
 * and the parameter count of an architecture before fitting it. Throws a `ValueError` naming a
 * layer that does not fit its input.
 */
export function convNetSummary(
  imageShape: ImageShape,
  layers: readonly LayerSpec[] = DEFAULT_CNN_LAYERS,
  classes = 10,
): string {
  checkImageShape('convNetSummary', imageShape);
  checkLayerSpecs('convNetSummary', layers);
  return describeLayout(new ConvNetLayout(imageShape, layers, classes));
}

/**
 * The caller's options with their arrays and objects copied (frozen), so that changing the
 * caller's `layers` array later cannot change the model.
 */
function ownCopy(
  options: Partial<ConvNetClassifierOptions> | undefined,
): Partial<ConvNetClassifierOptions> | undefined {
  if (options === null || typeof options !== 'object') return options;
  const copy = { ...options };
  if (Array.isArray(copy.layers))
    copy.layers = Object.freeze(copyLayerSpecs(copy.layers)) as LayerSpec[];
  if (Array.isArray(copy.imageShape)) {
    copy.imageShape = Object.freeze([...copy.imageShape]) as [number, number, number];
  }
  if (copy.augment !== null && typeof copy.augment === 'object') {
    copy.augment = Object.freeze({ ...copy.augment });
  }
  return copy;
}
