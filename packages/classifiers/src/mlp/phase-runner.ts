import { defineTask } from '@typedlearn/tensor';
import type { Optimizer } from '../optim/optimizer.js';
import type { FitPool } from '../parallel/fit-pool.js';
import { createOptimizer } from './network-memory.js';
import type { NetworkPass } from './network-pass.js';
import type { PhaseJob } from './phase-task.js';

const RUN_PHASE = defineTask(new URL('./phase-task.js', import.meta.url), 'runPhase');

/**
 * Below this many multiply-adds (counted as if X were dense) a layer step runs on the calling
 * thread: a round trip to the workers per step, five steps a batch, costs more than splitting
 * saves. At batch 200, 784-128-10 stays on one thread and 784-512-10 splits its first layer
 * (two epochs on all of MNIST: 2 threads took 1.25x one thread's time for 128 units with the
 * threshold at 2^20, and take 1.0x now; 0.87x for 512 units).
 */
const PARALLEL_LAYER_WORK = 1 << 26;
/** Below 16 times this many parameters the optimiser step runs on the calling thread. */
const PARALLEL_UPDATE_WORK = 1 << 22;

/**
 * Runs the steps of a mini-batch (forward layer by layer, backward layer by layer, the
 * optimiser update) either on the calling thread or split across a worker pool. A layer's
 * units, and the parameter vector for the update, are cut into one contiguous range per
 * thread; each worker runs its range on the same shared memory. Since a unit's numbers never
 * depend on the ranges (see {@link NetworkPass}), every thread count trains the same model.
 */
export class PhaseRunner {
  private readonly threads: number;
  private readonly optimizer: Optimizer;

  /** With a pool of 1 thread, everything runs on the calling thread. */
  constructor(
    private readonly pass: NetworkPass,
    private readonly pool: FitPool,
  ) {
    this.threads = pool.threads;
    this.optimizer = createOptimizer(pass.memory);
  }

  /** Prepares rows `[start, start + count)` of row list `rows` and runs them forward. */
  async forward(rows: string, start: number, count: number, dropout: boolean): Promise<void> {
    const { pass } = this;
    const { memory, layout } = pass;
    pass.input.prepare(memory.rowLists[rows].subarray(start, start + count), count);
    for (let l = 0; l < layout.layers; l++) {
      const units = memory.sizes[l + 1];
      if (!this.worthSplitting(count * memory.sizes[l] * units, PARALLEL_LAYER_WORK)) {
        pass.forwardLayer(l, count, 0, units, dropout);
        continue;
      }
      const step = { memory, layer: l, rows, start, count, dropout };
      const jobs: PhaseJob[] = this.ranges(units).map(([u0, u1]) => ({
        phase: 'forward',
        ...step,
        u0,
        u1,
      }));
      await this.run(jobs);
    }
  }

  /** The backward pass of the prepared batch, after `pass.crossEntropy` gave delta_L. */
  async backward(rows: string, start: number, count: number, dropout: boolean): Promise<void> {
    const { pass } = this;
    const { memory, layout } = pass;
    for (let l = layout.layers - 1; l >= 0; l--) {
      const fanIn = memory.sizes[l];
      const units = memory.sizes[l + 1];
      const previous = l === 0 ? 0 : fanIn;
      if (!this.worthSplitting(2 * count * fanIn * units, PARALLEL_LAYER_WORK)) {
        pass.backwardLayer(l, count, 0, units, 0, previous, dropout);
        continue;
      }
      const unitRanges = this.ranges(units);
      const previousRanges = this.ranges(previous);
      const step = { memory, layer: l, rows, start, count, dropout };
      const jobs: PhaseJob[] = unitRanges.map(([u0, u1], t) => ({
        phase: 'backward',
        ...step,
        u0,
        u1,
        v0: previousRanges[t][0],
        v1: previousRanges[t][1],
      }));
      await this.run(jobs);
    }
  }

  /** Optimiser step number `step` over every parameter. */
  async update(step: number, learningRate: number): Promise<void> {
    const { pass } = this;
    const size = pass.layout.parameterCount;
    if (!this.worthSplitting(16 * size, PARALLEL_UPDATE_WORK)) {
      this.optimizer.update(step, learningRate, 0, size);
      return;
    }
    const jobs: PhaseJob[] = this.ranges(size).map(([start, end]) => ({
      phase: 'update',
      memory: pass.memory,
      step,
      learningRate,
      start,
      end,
    }));
    await this.run(jobs);
  }

  private worthSplitting(work: number, threshold: number): boolean {
    return this.threads > 1 && work >= threshold;
  }

  /** [0, n) cut into one contiguous range per thread, at even boundaries. */
  private ranges(n: number): [number, number][] {
    const step = 2 * Math.ceil(n / this.threads / 2);
    const out: [number, number][] = [];
    for (let t = 0; t < this.threads; t++) {
      out.push([Math.min(n, t * step), Math.min(n, (t + 1) * step)]);
    }
    return out;
  }

  private async run(jobs: PhaseJob[]): Promise<void> {
    await this.pool.map(RUN_PHASE, jobs);
  }
}
