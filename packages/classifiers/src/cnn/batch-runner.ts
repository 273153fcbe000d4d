import { defineTask, type Rng } from '@typedlearn/tensor';
import type { Optimizer } from '../optim/optimizer.js';
import type { FitPool } from '../parallel/fit-pool.js';
import { yieldToEventLoop } from '../parallel/yield-to-event-loop.js';
import { drawTransforms } from './augmentation.js';
import { runChunk } from './chunk-task.js';
import type { ConvNetLayout } from './network-layout.js';
import { CHUNKS_PER_BATCH, type ChunkJob, type TrainingMemory } from './training-memory.js';

const RUN_CHUNK = defineTask(new URL('./chunk-task.js', import.meta.url), 'runChunk');

/** What a trained batch, or epoch, measured. */
export interface BatchSums {
  /** The summed (weighted) cross-entropy of its rows. */
  crossEntropy: number;
  /** How many of its rows (their total sample weight) were predicted right as they were trained. */
  correct: number;
}

/**
 * Data-parallel mini-batch training on the fit's threads (Dean et al., "Large scale distributed
 * deep networks", NIPS 2012, in its synchronous form): a batch is cut into chunks, each chunk's
 * gradient is computed by whichever thread takes it (`runChunk`, chunk-task.ts), and the calling
 * thread adds the chunks' gradients in chunk order, adds the L2 term and takes the optimiser
 * step. The gradient of a sum of per-row losses is the sum of the chunks' gradients, so this is
 * exactly mini-batch gradient descent; and since neither the chunks nor the order of the sum
 * depend on the threads, neither does the model.
 */
export class BatchRunner {
  /** [start, end) of each layer's weights in the parameter vector: the L2 term covers weights, not biases. */
  private readonly weightRanges: readonly (readonly [number, number])[];
  private readonly parameterCount: number;

  constructor(
    private readonly memory: TrainingMemory,
    layout: ConvNetLayout,
    private readonly pool: FitPool,
    private readonly optimizer: Optimizer,
    private readonly l2: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.parameterCount = layout.parameterCount;
    this.weightRanges = layout.layers.flatMap(({ parameters: p }) =>
      p === null ? [] : [[p.weightOffset, p.weightOffset + p.fanIn * p.units] as const],
    );
  }

  /**
   * One epoch: the rows of the training row list, in their order (the caller shuffles them), in
   * batches of `batchSize`, as optimiser steps `step + 1`, `step + 2`, ... at `learningRate`.
   * Resolves to the epoch's sums and the step count after it.
   */
  async trainEpoch(
    batchSize: number,
    learningRate: number,
    step: number,
    augmentRng: Rng,
  ): Promise<BatchSums & { step: number }> {
    const rows = this.memory.rowLists.train.length;
    const epoch = { crossEntropy: 0, correct: 0, step };
    for (let start = 0; start < rows; start += batchSize) {
      const count = Math.min(batchSize, rows - start);
      const sums = await this.train(start, count, epoch.step + 1, learningRate, augmentRng);
      if (sums === null) continue;
      epoch.step++;
      epoch.crossEntropy += sums.crossEntropy;
      epoch.correct += sums.correct;
    }
    return epoch;
  }

  /**
   * One optimiser step, number `step` at `learningRate`, on rows [start, start + count) of the
   * training row list; `augmentRng` draws the images' distortions when augmenting. Returns the
   * batch's sums, or null when its rows all weigh 0: nothing to learn from, no step.
   */
  async train(
    start: number,
    count: number,
    step: number,
    learningRate: number,
    augmentRng: Rng,
  ): Promise<BatchSums | null> {
    const { memory, parameterCount } = this;
    const { lossWeights, chunkSums, gradients, params } = memory;
    const rowList = memory.rowLists.train;
    let total = count;
    if (lossWeights !== null) {
      total = 0;
      for (let r = start; r < start + count; r++) total += lossWeights[rowList[r]];
      if (!(total > 0)) return null;
    }
    if (memory.augment !== null && memory.transforms !== null) {
      drawTransforms(memory.augment, count, augmentRng, memory.transforms);
    }
    const chunks = await this.run('train', 'train', start, count, 1 / total, step);
    const gradient = gradients.subarray(0, parameterCount);
    for (let c = 1; c < chunks; c++) {
      const offset = c * parameterCount;
      for (let i = 0; i < parameterCount; i++) gradient[i] += gradients[offset + i];
    }
    if (this.l2 !== 0) {
      for (const [from, to] of this.weightRanges) {
        for (let i = from; i < to; i++) gradient[i] += this.l2 * params[i];
      }
    }
    this.optimizer.update(step, learningRate, 0, parameterCount);
    const sums = { crossEntropy: 0, correct: 0 };
    for (let c = 0; c < chunks; c++) {
      sums.crossEntropy += chunkSums[2 * c];
      sums.correct += chunkSums[2 * c + 1];
    }
    return sums;
  }

  /**
   * How many rows of row list `rows` the current parameters predict right (no dropout, no
   * distortion); with sample weights, their total weight.
   */
  async evaluate(rows: string): Promise<number> {
    const { memory } = this;
    const rowList = memory.rowLists[rows];
    const batch = memory.chunkRows * CHUNKS_PER_BATCH;
    let correct = 0;
    for (let start = 0; start < rowList.length; start += batch) {
      const count = Math.min(batch, rowList.length - start);
      const chunks = await this.run('evaluate', rows, start, count, 0, 0);
      for (let c = 0; c < chunks; c++) correct += memory.chunkSums[2 * c + 1];
    }
    return correct;
  }

  /** sum of W^2 over every weight (not the biases), for the loss's L2 term. */
  weightSquares(): number {
    const { params } = this.memory;
    let total = 0;
    for (const [from, to] of this.weightRanges) {
      for (let i = from; i < to; i++) total += params[i] * params[i];
    }
    return total;
  }

  /**
   * Cuts rows [start, start + count) of row list `rows` into min(CHUNKS_PER_BATCH, count)
   * chunks as even as can be and runs them; resolves to the number of chunks once all are done.
   * On worker threads the pool turns the event loop and checks the fit's signal before each
   * chunk. With one thread the chunks run inline, in order, after one turn of the event loop
   * and a check of the signal per batch: no task module is loaded, which a browser page that
   * bundled the library could not find, and a browser's clamped zero-delay timeouts are paid
   * once per batch rather than per chunk.
   */
  private async run(
    phase: ChunkJob['phase'],
    rows: string,
    start: number,
    count: number,
    scale: number,
    step: number,
  ): Promise<number> {
    const chunks = Math.min(CHUNKS_PER_BATCH, count);
    const jobs: ChunkJob[] = [];
    for (let c = 0; c < chunks; c++) {
      const from = Math.floor((c * count) / chunks);
      const to = Math.floor(((c + 1) * count) / chunks);
      jobs.push({
        memory: this.memory,
        phase,
        rows,
        start: start + from,
        end: start + to,
        chunk: c,
        batchOffset: from,
        scale,
        step,
      });
    }
    if (this.pool.threads > 1) {
      await this.pool.each(RUN_CHUNK, jobs);
    } else {
      await yieldToEventLoop();
      this.signal?.throwIfAborted();
      for (const job of jobs) runChunk(job);
    }
    return chunks;
  }
}
