import { Rng } from '@typedlearn/tensor';
import { threadLocal } from '../parallel/thread-local.js';
import { binaryDecisionValues, trainBinarySvc, type BinarySvc } from './binary-svc.js';
import type { ClassBlockStore, ClassGrouping } from './class-blocks.js';
import type { FeatureRows } from './feature-rows.js';
import type { Kernel } from './kernel.js';
import { fitSigmoid, type Sigmoid } from './platt-scaling.js';
import type { SmoOptions } from './smo-solver.js';
import { SolverWorkspace } from './solver-workspace.js';

/** Folds of the internal cross-validation that produces Platt scaling's decision values (LIBSVM: 5). */
export const PLATT_FOLDS = 5;

/**
 * One binary problem of one-vs-one: class `first` (y = +1) against class `second` (y = -1).
 * Structured-cloneable, with the large arrays on SharedArrayBuffers when sent to a worker.
 */
export interface PairTask {
  /** Index of the pair in the order (0,1), (0,2), ..., (k-2,k-1). */
  pair: number;
  first: number;
  second: number;
  /** All training rows, in grouped order (see {@link ClassGrouping}). */
  rows: FeatureRows;
  /** The training rows grouped by class. */
  grouping: ClassGrouping;
  /** Within-class kernel rows shared by all pairs (and threads), or null. */
  classBlocks: ClassBlockStore | null;
  kernel: Kernel;
  smo: SmoOptions;
  /**
   * The upper bound C_g of the alpha of each grouped position g (C times the sample's weight
   * times its class's weight: LIBSVM's weighted C), or null when every bound is `smo.C`.
   */
  upperBounds: Float64Array | null;
  /** Also fit Platt's sigmoid on cross-validated decision values. */
  probability: boolean;
  /** The fit's seed; the pair draws its cross-validation folds from stream `pair` of it. */
  seed: number;
  /** Kernel-cache budget of the thread that runs the task. */
  cacheBytes: number;
}

/** What one pair learned: its samples are the rows of `first`, then those of `second`. */
export interface PairResult {
  pair: number;
  /** alpha_i y_i of each sample of the pair. */
  coef: Float64Array;
  rho: number;
  iterations: number;
  hitIterationCap: boolean;
  /** Platt's sigmoid for P(first | x), or null without `probability`. */
  sigmoid: Sigmoid | null;
}

/** Trains one pair with the given thread-local workspace. */
function trainPair(task: PairTask, workspace: SolverWorkspace): PairResult {
  const { first, second } = task;
  const { positions, classStart } = task.grouping;
  const firstCount = classStart[first + 1] - classStart[first];
  const secondCount = classStart[second + 1] - classStart[second];
  const l = firstCount + secondCount;
  // The pair's samples as grouped positions (indices into `rows`): `first`'s, then `second`'s.
  const members = new Int32Array(l);
  members.set(positions.subarray(classStart[first], classStart[first + 1]), 0);
  members.set(positions.subarray(classStart[second], classStart[second + 1]), firstCount);
  const y = new Int8Array(l).fill(1, 0, firstCount).fill(-1, firstCount);

  const sigmoid = task.probability ? plattSigmoid(task, members, y, workspace) : null;
  const model = trainBinarySvc(
    task.kernel,
    task.rows,
    members,
    y,
    task.smo,
    workspace,
    sharedBlocks(task),
    task.upperBounds,
  );
  return { pair: task.pair, ...model, sigmoid };
}

/** The task's class blocks with their grouping, as the Q matrix takes them. */
function sharedBlocks(task: PairTask) {
  return task.classBlocks === null
    ? undefined
    : { store: task.classBlocks, grouping: task.grouping };
}

/**
 * The worker-pool entry point: {@link trainPair} with a workspace kept by the thread for the
 * whole fit, so its kernel-cache slab is allocated once per thread, not once per pair.
 */
export function trainPairTask(task: PairTask): PairResult {
  const { cacheBytes, rows } = task;
  const workspace = threadLocal(
    'svm-solver-workspace',
    `${cacheBytes}/${rows.nFeatures}`,
    () => new SolverWorkspace(cacheBytes, rows.nFeatures),
  );
  return trainPair(task, workspace);
}

/**
 * LIBSVM's `svm_binary_svc_probability`: decision values of every sample from a model trained
 * without it (5-fold cross-validation over a random permutation), then Platt's sigmoid fitted
 * to them. A fold whose training part holds a single class predicts that class's sign. With
 * weights, each fold's model keeps its samples' bounds, and the sigmoid is fitted unweighted,
 * as in LIBSVM with instance weights.
 */
function plattSigmoid(
  task: PairTask,
  members: Int32Array,
  y: Int8Array,
  workspace: SolverWorkspace,
): Sigmoid {
  const l = members.length;
  const order = new Rng(task.seed).fork(task.pair).permutation(l);
  const decision = new Float64Array(l);
  for (let fold = 0; fold < PLATT_FOLDS; fold++) {
    const begin = Math.floor((fold * l) / PLATT_FOLDS);
    const end = Math.floor(((fold + 1) * l) / PLATT_FOLDS);
    const trainMembers = new Int32Array(l - (end - begin));
    const trainY = new Int8Array(trainMembers.length);
    let k = 0;
    let positives = 0;
    for (let t = 0; t < l; t++) {
      if (t >= begin && t < end) continue;
      trainMembers[k] = members[order[t]];
      trainY[k] = y[order[t]];
      if (trainY[k] > 0) positives++;
      k++;
    }
    const heldOut = new Int32Array(end - begin);
    for (let t = begin; t < end; t++) heldOut[t - begin] = members[order[t]];
    const values = new Float64Array(heldOut.length);
    if (positives === 0 || positives === k) {
      values.fill(positives === 0 ? -1 : 1);
    } else {
      const model: BinarySvc = trainBinarySvc(
        task.kernel,
        task.rows,
        trainMembers,
        trainY,
        task.smo,
        workspace,
        sharedBlocks(task),
        task.upperBounds,
      );
      binaryDecisionValues(task.kernel, task.rows, trainMembers, model, heldOut, values, workspace);
    }
    for (let t = begin; t < end; t++) decision[order[t]] = values[t - begin];
  }
  return fitSigmoid(decision, y);
}
