import { argmaxRows, type Rng } from '@typedlearn/tensor';
import { sampleMasks } from './dropout.js';
import type { NetworkPass } from './network-pass.js';
import type { PhaseRunner } from './phase-runner.js';

/** What an epoch of training reads, and its per-batch scratch (see {@link trainEpoch}). */
export interface EpochSetup {
  runner: PhaseRunner;
  pass: NetworkPass;
  /** The class index of each row of X. */
  y: Int32Array;
  classes: number;
  /** Units of each hidden layer. */
  hiddenSizes: readonly number[];
  /** Each row's weight in the loss (sample weight times class weight), or null: all 1. */
  lossWeights: Float64Array | null;
  /** Each row's sample weight, for the accuracy, or null: all 1. */
  sampleWeights: Float64Array | null;
  /** Whether dropout masks are drawn (from `dropoutRng`) for each batch. */
  dropout: boolean;
  dropoutRng: Rng;
  /** Scratch for the predicted classes of a batch (at least `batchSize` long). */
  predicted: Int32Array;
  /** Scratch for a batch's loss weights when `lossWeights` is not null, else null. */
  batchWeights: Float64Array | null;
}

/** What {@link trainEpoch} measured, and the optimiser's step count after it. */
export interface EpochSums {
  /** The summed (weighted) cross-entropy of the epoch's batches. */
  crossEntropy: number;
  /** How many rows (their total sample weight) were predicted right as they were trained. */
  correct: number;
  step: number;
}

/**
 * One epoch of mini-batch training: the rows of `memory.rowLists.train`, in their order (the
 * caller shuffles them), in batches of `memory.batchSize`, each run forward, through the fused
 * softmax cross-entropy, backward and into the optimiser by the {@link PhaseRunner}, at
 * `learningRate`, as optimiser steps `step + 1`, `step + 2`, ... A batch whose rows all weigh
 * 0 has nothing to learn from and takes no step. `fit` runs it once per epoch; `partialFit`
 * once per call.
 */
export function trainEpoch(setup: EpochSetup, learningRate: number, step: number): EpochSums {
  const { runner, pass, y, classes, lossWeights, sampleWeights, dropout, dropoutRng } = setup;
  const { predicted, batchWeights, hiddenSizes } = setup;
  const { memory } = pass;
  const order = memory.rowLists.train;
  const { batchSize } = memory;
  let crossEntropy = 0;
  let correct = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const count = Math.min(batchSize, order.length - start);
    const batch = order.subarray(start, start + count);
    for (let r = 0; r < count; r++) memory.labels[r] = y[batch[r]];
    // A batch whose rows all weigh 0 has nothing to learn from: no step.
    if (lossWeights !== null && batchWeights !== null) {
      if (!gatherWeights(lossWeights, batch, batchWeights)) continue;
    }
    if (dropout) sampleMasks(memory.masks, hiddenSizes, count, memory.keep, dropoutRng);
    runner.forward('train', start, count, dropout);
    correct += countCorrect(pass.logits, classes, memory.labels, predicted, batch, sampleWeights);
    crossEntropy += pass.crossEntropy(count, batchWeights);
    runner.backward('train', start, count, dropout);
    runner.update(++step, learningRate);
  }
  return { crossEntropy, correct, step };
}

/** Writes `weights[batch[r]]` into `out[r]`; false when they are all 0. */
function gatherWeights(weights: Float64Array, batch: Int32Array, out: Float64Array): boolean {
  let total = 0;
  for (let r = 0; r < batch.length; r++) {
    out[r] = weights[batch[r]];
    total += out[r];
  }
  return total > 0;
}

/**
 * How many of the batch's rows (training rows `batch`, labels `labels`) have the label as
 * the argmax of their logits; with `sampleWeight`, the total weight of those rows.
 */
function countCorrect(
  logits: Float32Array,
  classes: number,
  labels: Int32Array,
  predicted: Int32Array,
  batch: Int32Array,
  sampleWeight: Float64Array | null,
): number {
  const count = batch.length;
  argmaxRows(logits.subarray(0, count * classes), count, classes, predicted.subarray(0, count));
  let correct = 0;
  for (let r = 0; r < count; r++) {
    if (predicted[r] === labels[r]) correct += sampleWeight === null ? 1 : sampleWeight[batch[r]];
  }
  return correct;
}
