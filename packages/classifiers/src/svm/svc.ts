import {
  FormatError,
  Tensor,
  ValueError,
  allocatorFor,
  defineTask,
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
import type { FitProgress, ModelState, ResolvedFitOptions } from '../classifier.js';
import { readStateTensors } from '../model-state.js';
import { runFit } from '../parallel/fit-pool.js';
import { checkBoolean, checkChoice, checkNumber } from '../params.js';
import { createClassBlockStore, groupByClass, type ClassGrouping } from './class-blocks.js';
import { toFeatureRows } from './feature-rows.js';
import { float32KernelSums } from './kernel-rows.js';
import { scaleGamma, type Kernel, type KernelName } from './kernel.js';
import { assembleOneVsOne, pairCount, pairIndex, type OneVsOneModel } from './one-vs-one-model.js';
import { OneVsOnePredictor } from './one-vs-one-predictor.js';
import type { PairResult, PairTask } from './train-pair.js';

/** Hyper-parameters of {@link SVC}; the defaults are scikit-learn's `SVC()`. */
export interface SvcOptions {
  /** Penalty of margin violations (> 0): larger C fits the training set more closely. Default 1. */
  C: number;
  /** The kernel: `'rbf'` exp(-gamma |x - z|^2), `'poly'` (gamma x.z + coef0)^degree, `'linear'` x.z. Default `'rbf'`. */
  kernel: KernelName;
  /**
   * Kernel coefficient of `'rbf'` and `'poly'`: a number > 0, `'scale'` = 1 / (nFeatures * Var(X))
   * or `'auto'` = 1 / nFeatures, computed from the training matrix. Default `'scale'`.
   */
  gamma: number | 'scale' | 'auto';
  /** Degree of the `'poly'` kernel (an integer >= 0). Default 3. */
  degree: number;
  /** Constant term of the `'poly'` kernel. Default 0. */
  coef0: number;
  /** Stopping tolerance of the solver on the maximal KKT violation (> 0). Default 1e-3. */
  tol: number;
  /**
   * Iteration cap of each binary solver; -1 means no cap of your own (LIBSVM's safety cap
   * max(10^7, 100 n) still applies). Reaching it records a warning in `info.warnings` and
   * prints it with `console.warn`. Default -1.
   */
  maxIter: number;
  /**
   * Kernel-cache budget in bytes for the whole fit (scikit-learn's `cache_size` is in MB: 200 MB
   * there is 200 * 2**20 here). Half holds within-class kernel rows shared by all pairs and
   * threads; the other half is split between the threads' LRU caches of their pair's kernel
   * rows. Default 200 * 2**20.
   */
  cacheBytes: number;
  /** Shrink the active set during optimization (same optimum, usually faster). Default true. */
  shrinking: boolean;
  /**
   * Fit Platt-scaled probabilities (5-fold internal cross-validation per pair, about 5x the
   * fit time) so that {@link SVC.predictProba} is available. Default false.
   */
  probability: boolean;
  /**
   * `'balanced'` multiplies C for the samples of class k by W / (nClasses * W_k), W_k the
   * total sample weight of class k (see {@link ClassWeight}; LIBSVM's `-wi` weights, as
   * scikit-learn's `class_weight` sets them); null keeps C for every class. Default null.
   */
  classWeight: ClassWeight;
  /**
   * How the RBF kernel's dot products are summed: `'auto'` in float32 on the `'wasm-simd'`
   * backend where an error bound on the data allows it (`info.kernelSums` tells; see
   * docs/svm.md), float64 otherwise; `'float64'` always in float64, as LIBSVM does. Predictions
   * choose per test row the same way. Not a scikit-learn parameter. Default `'auto'`.
   */
  kernelSums: 'auto' | 'float64';
}

/** scikit-learn's `SVC()` defaults. */
export const SVC_DEFAULTS: Readonly<SvcOptions> = Object.freeze({
  C: 1,
  kernel: 'rbf',
  gamma: 'scale',
  degree: 3,
  coef0: 0,
  tol: 1e-3,
  maxIter: -1,
  cacheBytes: 200 * 2 ** 20,
  shrinking: true,
  probability: false,
  classWeight: null,
  kernelSums: 'auto',
});

/** Each hyper-parameter of {@link SVC}, with its default and meaning. */
export const SVC_PARAMETERS = describeHyperParameters(SVC_DEFAULTS, {
  C: 'penalty of margin violations (> 0): larger fits the training set more closely',
  kernel: "'rbf', 'poly' or 'linear'",
  gamma: "kernel coefficient (> 0), 'scale' = 1 / (nFeatures * Var(X)) or 'auto' = 1 / nFeatures",
  degree: "degree of the 'poly' kernel (integer >= 0)",
  coef0: "constant term of the 'poly' kernel",
  tol: 'stopping tolerance on the largest KKT violation (> 0)',
  maxIter: 'iteration cap of each binary solver (-1: none of your own)',
  cacheBytes: 'kernel-cache budget in bytes for the whole fit',
  shrinking: 'shrink the active set during optimisation (same optimum, usually faster)',
  probability: 'fit Platt-scaled probabilities (about 5x the fit time) for predictProba',
  classWeight: CLASS_WEIGHT_DESCRIPTION,
  kernelSums:
    "'auto': RBF kernel sums in float32 on wasm-simd where an error bound allows, else float64; 'float64': always",
});

interface SvcState {
  model: OneVsOneModel;
  predictor: OneVsOnePredictor;
}

const TRAIN_PAIR = defineTask(new URL('./train-pair.js', import.meta.url), 'trainPairTask');

/**
 * C-support vector classification (scikit-learn's `SVC`, LIBSVM's C-SVC): for each pair of
 * classes a soft-margin kernel machine trained by SMO with second-order working-set selection
 * and shrinking, combined one-vs-one by voting. It reaches LIBSVM's optimum (same support
 * vectors, decision values within the tolerance).
 *
 * ```ts
 * const svc = await new SVC({ C: 5, gamma: 'scale' }).fit(X, y, { threads: 2 });
 * svc.predict(Xtest);
 * ```
 *
 * The k(k-1)/2 binary problems train in parallel on `threads` worker threads (any thread count
 * gives the identical model); their support vectors are stored once and shared, so prediction
 * computes each test-row-to-support-vector kernel value once.
 *
 * With `sampleWeight`, sample i's alpha is bounded by C_i = w_i * C * classWeight[y_i]
 * instead of C: LIBSVM's C-SVC with instance weights, which scikit-learn's `SVC.fit(X, y,
 * sample_weight)` runs. So an integer weight acts as that many copies of the sample (their
 * alphas add up to one bounded by the sum of their bounds). Samples of weight 0 are removed
 * before training, as LIBSVM removes them; `support` still counts rows of the X given to
 * `fit`. `gamma: 'scale'` takes the weighted variance (see {@link scaleGamma}). Every class
 * must keep a sample of positive weight.
 */
/** What {@link SVC} records about its fit in `info`. */
export interface SvcFitInfo {
  /** The RBF or poly kernel's gamma, as computed from `'scale'` or `'auto'`. */
  kernelGamma: number;
  nSupportVectors: number;
  /** SMO iterations of each one-vs-one pair, in pair order. */
  iterations: number[];
  /** Messages about pairs that stopped at the iteration cap. */
  warnings: string[];
  /**
   * How the kernel rows' dot products were summed: with `kernelSums: 'auto'`, `'float32'` for
   * the RBF kernel on `'wasm-simd'` where the error bound of `float32KernelSums` allows it, else
   * `'float64'`. (Absent from models saved before it was recorded.)
   */
  kernelSums?: 'float32' | 'float64';
}

export class SVC extends BaseClassifier<SvcOptions, SvcState, SvcFitInfo> {
  readonly modelType = 'svm';

  constructor(options?: Partial<SvcOptions>) {
    super('SVC', { ...SVC_DEFAULTS }, options);
  }

  /** Restores a fitted SVC from {@link SVC.toState}'s output, validating every part. */
  static fromState(state: ModelState): SVC {
    const svc = new SVC(state.params as Partial<SvcOptions>);
    const model = modelFromState(state, svc.params);
    const predictor = new OneVsOnePredictor(model, svc.params.kernelSums);
    return svc.restore(state, { model, predictor });
  }

  /** The support vectors [nSV, nFeatures], grouped by class (scikit-learn's `support_vectors_`). */
  get supportVectors(): Tensor {
    return this.state.model.supportVectors;
  }

  /** Index in the training set of each support vector (scikit-learn's `support_`). */
  get support(): Int32Array {
    return this.state.model.support;
  }

  /** Number of support vectors of each class (scikit-learn's `n_support_`). */
  get nSupport(): Int32Array {
    return this.state.model.nSupport;
  }

  /**
   * Dual coefficients alpha_i y_i, [(k-1), nSV] in LIBSVM's layout (scikit-learn's
   * `dual_coef_`): machine (a, b) keeps class a's coefficients in row b-1 and class b's in row
   * a, positive towards a. For two classes the signs are flipped, as scikit-learn does, so
   * positive means `classes[1]`.
   */
  get dualCoef(): Tensor {
    const { dualCoef, supportVectors } = this.state.model;
    const values = this.classes.length === 2 ? dualCoef.map((v) => -v) : dualCoef.slice();
    return new Tensor(values, [this.classes.length - 1, supportVectors.shape[0]]);
  }

  /**
   * The constant term of each one-vs-one machine, in pair order (scikit-learn's `intercept_`,
   * -rho in LIBSVM); for two classes flipped like {@link dualCoef}.
   */
  get intercept(): Float32Array {
    const { intercept } = this.state.model;
    return this.classes.length === 2 ? intercept.map((v) => -v) : intercept.slice();
  }

  protected validateParams(params: SvcOptions): void {
    checkNumber('SVC', 'C', params.C, { min: 0, exclusiveMin: true });
    checkChoice('SVC', 'kernel', params.kernel, ['rbf', 'poly', 'linear'] as const);
    if (typeof params.gamma === 'string') {
      checkChoice('SVC', 'gamma', params.gamma, ['scale', 'auto'] as const);
    } else {
      checkNumber('SVC', 'gamma', params.gamma, { min: 0, exclusiveMin: true });
    }
    checkNumber('SVC', 'degree', params.degree, { integer: true, min: 0 });
    checkNumber('SVC', 'coef0', params.coef0);
    checkNumber('SVC', 'tol', params.tol, { min: 0, exclusiveMin: true });
    checkNumber('SVC', 'maxIter', params.maxIter, { integer: true, min: -1 });
    if (params.maxIter === 0) {
      throw new ValueError('SVC: maxIter must be -1 (no cap) or an integer >= 1, got 0');
    }
    checkNumber('SVC', 'cacheBytes', params.cacheBytes, { integer: true, min: 1 });
    checkBoolean('SVC', 'shrinking', params.shrinking);
    checkBoolean('SVC', 'probability', params.probability);
    checkClassWeight('SVC', params.classWeight);
    checkChoice('SVC', 'kernelSums', params.kernelSums, ['auto', 'float64'] as const);
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
    options: ResolvedFitOptions,
  ): Promise<Fitted<SvcState, SvcFitInfo>> {
    const { threads, onProgress, seed } = options;
    const weights = resolveFitWeights(this.params.classWeight, y, nClasses, options.sampleWeight);
    const kernel = this.resolveKernel(X, weights.sample);
    const shared = threads > 1;
    // Rows of weight 0 are left out of the grouping, so of everything the pairs see.
    const grouping = groupByClass(y, nClasses, shared, weights.sample);
    const { byClass, classStart } = grouping;
    for (let c = 0; c < nClasses; c++) {
      if (classStart[c + 1] === classStart[c]) {
        throw new ValueError(
          `SVC.fit: every sample of class ${c} (the index among the sorted labels) has ` +
            'sampleWeight 0; expected each class to keep a sample of positive weight',
        );
      }
    }
    const nPairs = pairCount(nClasses);
    // The worker threads start up, and import the pair task, while this thread lays out the rows.
    let sums: 'float32' | 'float64' = 'float64';
    const results = await runFit(
      options,
      async (pool) => {
        const upperBounds = this.upperBounds(grouping, weights.sample, weights.perClass, shared);
        const laidOut = toFeatureRows(X, { rows: byClass, shared });
        const float32 = this.params.kernelSums === 'auto' && float32KernelSums(kernel, laidOut);
        sums = float32 ? 'float32' : 'float64';
        const rows = { ...laidOut, sums };
        // Half the cache budget holds within-class kernel rows shared by all pairs; the threads'
        // LRU caches of the pairs' kernel rows share the other half.
        let largestClass = 0;
        for (let c = 0; c < nClasses; c++) {
          largestClass = Math.max(largestClass, classStart[c + 1] - classStart[c]);
        }
        const blocks = createClassBlockStore(
          byClass.length,
          largestClass,
          this.params.cacheBytes / 2,
          shared,
        );
        const tasks: PairTask[] = pairIndex(nClasses).map(([first, second], pair) => ({
          pair,
          first,
          second,
          rows,
          grouping,
          classBlocks: blocks.capacity > 0 ? blocks : null,
          kernel,
          smo: {
            C: this.params.C,
            tol: this.params.tol,
            shrinking: this.params.shrinking,
            maxIter: this.params.maxIter,
          },
          upperBounds,
          probability: this.params.probability,
          seed,
          cacheBytes: Math.max(1, Math.floor(this.params.cacheBytes / 2 / threads)),
        }));

        // Largest pairs first, so that threads finish together; each result comes back by pair.
        const size = (t: PairTask) =>
          classStart[t.first + 1] -
          classStart[t.first] +
          classStart[t.second + 1] -
          classStart[t.second];
        const order = [...tasks].sort((a, b) => size(b) - size(a) || a.pair - b.pair);
        const byPair: PairResult[] = new Array(nPairs);
        let done = 0;
        await pool.each<PairTask, PairResult>(TRAIN_PAIR, order, (result) => {
          byPair[result.pair] = result;
          onProgress({ stage: 'pair', step: ++done, total: nPairs } satisfies FitProgress);
        });
        return byPair;
      },
      [TRAIN_PAIR],
    );

    const warnings = iterationWarnings(results, this.params, classStart);
    for (const warning of warnings) console.warn(warning);
    const model = assembleOneVsOne(X, kernel, byClass, classStart, results);
    return {
      state: { model, predictor: new OneVsOnePredictor(model, this.params.kernelSums) },
      info: {
        kernelGamma: kernel.gamma,
        nSupportVectors: model.support.length,
        iterations: results.map((r) => r.iterations),
        warnings,
        kernelSums: sums,
      },
    };
  }

  protected predictEncoded(X: Tensor): Int32Array {
    return this.state.predictor.predict(toFeatureRows(X));
  }

  /**
   * Decision values in scikit-learn's `decision_function_shape='ovo'` layout: for k > 2 classes,
   * [rows, k(k-1)/2] with columns in pair order (0,1), (0,2), ..., (k-2,k-1) and a positive
   * value voting for the pair's first class; for 2 classes, a [rows] vector that is positive
   * for the second class (`classes[1]`), as scikit-learn returns it.
   */
  decisionFunction(X: FeaturesInput): Tensor {
    const x = this.checkInput(X);
    const values = this.state.predictor.decisionValues(toFeatureRows(x));
    const rows = x.shape[0];
    if (this.classes.length === 2) {
      return new Tensor(
        Float32Array.from(values, (v) => -v),
        [rows],
      );
    }
    return new Tensor(Float32Array.from(values), [rows, pairCount(this.classes.length)]);
  }

  /**
   * Class probabilities [rows, k] in the order of `classes`, by Platt scaling of each pair's
   * decision value and pairwise coupling (LIBSVM's method). Needs `probability: true` at fit
   * time. As in scikit-learn, the most probable class can differ from `predict` (which votes)
   * for rows near a decision boundary.
   */
  predictProba(X: FeaturesInput): Tensor {
    const x = this.checkInput(X);
    if (!this.params.probability) {
      throw new ValueError(
        'SVC.predictProba needs a model fitted with probability: true (Platt scaling); ' +
          'refit with new SVC({ ..., probability: true })',
      );
    }
    const probabilities = this.state.predictor.probabilities(toFeatureRows(x));
    return new Tensor(Float32Array.from(probabilities), [x.shape[0], this.classes.length]);
  }

  protected stateTensors(state: SvcState): Record<string, Tensor<DType>> {
    const { model } = state;
    const nSV = model.supportVectors.shape[0];
    const nPairs = model.intercept.length;
    const tensors: Record<string, Tensor<DType>> = {
      supportVectors: model.supportVectors,
      support: new Tensor(model.support, [nSV]),
      nSupport: new Tensor(model.nSupport, [model.nClasses]),
      dualCoef: new Tensor(model.dualCoef, [model.nClasses - 1, nSV]),
      intercept: new Tensor(model.intercept, [nPairs]),
    };
    if (model.probA.length > 0) {
      tensors.probA = new Tensor(model.probA, [nPairs]);
      tensors.probB = new Tensor(model.probB, [nPairs]);
    }
    return tensors;
  }

  private resolveKernel(X: Tensor, sampleWeight: Float64Array | null): Kernel {
    const { gamma, kernel, degree, coef0 } = this.params;
    const nFeatures = X.shape[1];
    const value =
      gamma === 'scale' ? scaleGamma(X, sampleWeight) : gamma === 'auto' ? 1 / nFeatures : gamma;
    return { name: kernel, gamma: value, degree, coef0 };
  }

  /**
   * LIBSVM's weighted C of every grouped position g: W_g * (C * classWeight[class of g]), in
   * LIBSVM's order of multiplication (`weighted_C` per class, times the instance weight); null
   * when every bound is C.
   */
  private upperBounds(
    grouping: ClassGrouping,
    sampleWeight: Float64Array | null,
    perClass: Float64Array,
    shared: boolean,
  ): Float64Array | null {
    const { C } = this.params;
    const { byClass, classOf } = grouping;
    if (sampleWeight === null && perClass.every((w) => w === 1)) return null;
    const bounds = allocatorFor(shared)('float64', byClass.length);
    for (let g = 0; g < bounds.length; g++) {
      const classC = C * perClass[classOf[g]];
      bounds[g] = sampleWeight === null ? classC : sampleWeight[byClass[g]] * classC;
    }
    return bounds;
  }
}

function iterationWarnings(
  results: readonly PairResult[],
  params: Readonly<SvcOptions>,
  classStart: Int32Array,
): string[] {
  const pairs = pairIndex(classStart.length - 1);
  const capped = results.filter((r) => r.hitIterationCap);
  if (capped.length === 0) return [];
  const names = capped.map((r) => `${pairs[r.pair][0]} vs ${pairs[r.pair][1]}`).join(', ');
  return [
    `SVC: the solver stopped at the iteration cap (maxIter=${params.maxIter}) before reaching ` +
      `tol=${params.tol} for ${capped.length} of ${results.length} class pair(s) (class indices ${names}); ` +
      'the model may be inaccurate. Raise maxIter (-1 for no cap), or scale the features (e.g. to [0, 1]).',
  ];
}

/** Validates a model state's tensors and facts and rebuilds the one-vs-one model. */
function modelFromState(state: ModelState, params: Readonly<SvcOptions>): OneVsOneModel {
  const k = state.classes.length;
  const nFeatures = state.nFeatures;
  if (k < 2) throw new FormatError(`SVC state must have at least 2 classes, got ${k}`);
  const nPairs = pairCount(k);
  const nSV = state.tensors.supportVectors?.shape[0] ?? 0;
  const tensors = readStateTensors(state, 'SVC', 'svm', {
    supportVectors: { dtype: 'float32', shape: [-1, nFeatures], finite: true },
    nSupport: { dtype: 'int32', shape: [k] },
    support: { dtype: 'int32', shape: [nSV] },
    dualCoef: { dtype: 'float32', shape: [k - 1, nSV], finite: true },
    intercept: { dtype: 'float32', shape: [nPairs], finite: true },
  });
  let total = 0;
  for (const count of tensors.nSupport) {
    if (count < 0) throw new FormatError('SVC state nSupport must not be negative');
    total += count;
  }
  if (total !== nSV) {
    throw new FormatError(
      `SVC state nSupport sums to ${total}, but there are ${nSV} support vectors`,
    );
  }
  const platt = params.probability
    ? readStateTensors(state, 'SVC', 'svm', {
        probA: { dtype: 'float32', shape: [nPairs] },
        probB: { dtype: 'float32', shape: [nPairs] },
      })
    : { probA: new Float32Array(0), probB: new Float32Array(0) };
  const gamma = state.info.kernelGamma;
  if (typeof gamma !== 'number' || !(gamma > 0) || !Number.isFinite(gamma)) {
    throw new FormatError(`SVC state info.kernelGamma must be a number > 0, got ${String(gamma)}`);
  }
  return {
    nClasses: k,
    kernel: { name: params.kernel, gamma, degree: params.degree, coef0: params.coef0 },
    supportVectors: new Tensor(tensors.supportVectors, [nSV, nFeatures]),
    support: tensors.support,
    nSupport: tensors.nSupport,
    dualCoef: tensors.dualCoef,
    intercept: tensors.intercept,
    ...platt,
  };
}
