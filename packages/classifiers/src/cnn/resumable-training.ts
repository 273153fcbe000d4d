import { Adam } from '../optim/adam.js';
import { OptimizerCheckpoint } from '../optim/optimizer-checkpoint.js';
import type { Optimizer } from '../optim/optimizer.js';
import { SgdMomentum } from '../optim/sgd-momentum.js';

/**
 * What a {@link ConvNetClassifier} keeps from one training call to the next, so that
 * `partialFit` continues where `fit` or the last `partialFit` left off: the optimiser's state
 * (Adam's two moment vectors, or SGD's velocity), the steps and the epochs done. The optimiser
 * runs on the calling thread only (the threads compute gradients), so its state never needs
 * shared memory. A model restored from a file has none: its first partialFit starts afresh.
 */
export class ResumableTraining {
  /** Adam's m and v, or SGD's velocity. */
  readonly moments: readonly Float32Array[];
  private readonly saved = new OptimizerCheckpoint();

  constructor(
    readonly solver: 'adam' | 'sgd',
    readonly momentum: number,
    parameterCount: number,
    /** Optimiser steps (mini-batches) done: Adam's bias corrections count them. */
    public step = 0,
    /** Epochs done, fit's and partialFit's: where the learning-rate schedule is. */
    public epochs = 0,
  ) {
    const count = solver === 'adam' ? 2 : 1;
    this.moments = Array.from({ length: count }, () => new Float32Array(parameterCount));
  }

  /** The optimiser that steps `params` along `gradient` with this state. */
  optimizer(params: Float32Array, gradient: Float32Array): Optimizer {
    const [first, second] = this.moments;
    return this.solver === 'adam'
      ? new Adam(params, gradient, {}, undefined, [first, second])
      : new SgdMomentum(params, gradient, { momentum: this.momentum }, undefined, [first]);
  }

  /** Remembers the state, steps and epochs, for {@link rollback}. */
  checkpoint(): void {
    this.saved.save(this.moments, this.step, this.epochs);
  }

  /** Puts back what the last {@link checkpoint} remembered, after a call failed. */
  rollback(): void {
    const counters = this.saved.restore(this.moments);
    if (counters === undefined) return;
    this.step = counters.step;
    this.epochs = counters.epochs;
  }
}
