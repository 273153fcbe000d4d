import { defineTask, type KernelsArena } from '@typedlearn/tensor';
import type { Optimizer } from '../optim/optimizer.js';
import type { FitPool } from '../parallel/fit-pool.js';
import { Lockstep } from '../parallel/lockstep.js';
import { createOptimizer } from './network-memory.js';
import type { NetworkPass } from './network-pass.js';
import {
  encodeJob,
  PHASE_MESSAGE_LENGTH,
  runJob,
  type PhaseJob,
  type PhaseServerInput,
  type RowList,
} from './phase-task.js';

const SERVE_PHASES = defineTask(new URL('./phase-task.js', import.meta.url), 'servePhases');

/**
 * Below this many multiply-adds (counted as if X were dense) a layer step runs on the calling
 * thread alone: handing a step to the workers and waiting for them costs a few microseconds,
 * about what a layer of 2^20 multiply-adds saves by being split in two.
 */
const PARALLEL_LAYER_WORK = 1 << 20;
/** Below 16 times this many parameters the optimiser step runs on the calling thread. */
const PARALLEL_UPDATE_WORK = 1 << 20;
/** Bytes of the kernels memory lent to each worker, for the kernels that stage operands. */
const LENT_BYTES = 4 << 20;

/**
 * Runs the steps of a mini-batch (forward layer by layer, backward layer by layer, the
 * optimiser update) either on the calling thread or split across the fit's threads. A layer's
 * units, and the parameter vector for the update, are cut into one contiguous range per
 * thread: the calling thread runs the first, and each worker of a {@link Lockstep} one of the
 * others, on the same shared memory. Since a unit's numbers never depend on the ranges (see
 * {@link NetworkPass}), every thread count trains the same model.
 */
export class PhaseRunner {
  private readonly threads: number;
  private readonly optimizer: Optimizer;

  private constructor(
    private readonly pass: NetworkPass,
    private readonly crew: Lockstep | undefined,
  ) {
    this.threads = crew === undefined ? 1 : crew.workers + 1;
    this.optimizer = createOptimizer(pass.memory);
  }

  /**
   * A runner on `pool`'s threads (with 1, everything runs on the calling thread); its workers
   * start now and serve until {@link close}. With the `arena` the fit's arrays come from, each
   * worker attaches to its kernels memory with a range of it lent, so that its kernels work on
   * those arrays in place.
   */
  static async start(pass: NetworkPass, pool: FitPool, arena?: KernelsArena): Promise<PhaseRunner> {
    if (pool.threads === 1) return new PhaseRunner(pass, undefined);
    const inputs = Array.from({ length: pool.threads - 1 }, () => {
      const kernels = arena?.lend(LENT_BYTES);
      const memory = kernels === undefined ? pass.memory : (arena as KernelsArena).portable(pass.memory); // prettier-ignore
      return { memory, kernels };
    });
    const crew = await Lockstep.start<Omit<PhaseServerInput, 'channel'>>(pool, SERVE_PHASES, inputs, PHASE_MESSAGE_LENGTH); // prettier-ignore
    return new PhaseRunner(pass, crew);
  }

  /** Lets the workers go; rejects with a worker's error if one failed. */
  async close(): Promise<void> {
    await this.crew?.stop();
  }

  /** Prepares rows `[start, start + count)` of row list `rows` and runs them forward. */
  forward(rows: RowList, start: number, count: number, dropout: boolean): void {
    const { pass } = this;
    const { memory, layout } = pass;
    pass.input.prepare(memory.rowLists[rows].subarray(start, start + count), count);
    for (let l = 0; l < layout.layers; l++) {
      const units = memory.sizes[l + 1];
      if (!this.worthSplitting(count * memory.sizes[l] * units, PARALLEL_LAYER_WORK)) {
        pass.forwardLayer(l, 0, count, dropout);
        continue;
      }
      const step = { layer: l, rows, start, count, dropout };
      this.run(this.ranges(count).map(([r0, r1]) => ({ phase: 'forward', ...step, r0, r1 })));
    }
  }

  /** The backward pass of the prepared batch, after `pass.crossEntropy` gave delta_L. */
  backward(rows: RowList, start: number, count: number, dropout: boolean): void {
    const { pass } = this;
    const { memory, layout } = pass;
    for (let l = layout.layers - 1; l >= 1; l--) {
      const fanIn = memory.sizes[l];
      const units = memory.sizes[l + 1];
      if (!this.worthSplitting(2 * count * fanIn * units, PARALLEL_LAYER_WORK)) {
        pass.backwardLayer(l, count, 0, units, 0, fanIn, dropout);
        continue;
      }
      const previousRanges = this.ranges(fanIn);
      const step = { layer: l, rows, start, count, dropout };
      this.run(
        this.ranges(units).map(([u0, u1], t) => {
          const [v0, v1] = previousRanges[t];
          return { phase: 'backward', ...step, u0, u1, v0, v1 };
        }),
      );
    }
    // The first layer's weight gradient, split by input features (rows of dW_0).
    const features = memory.sizes[0];
    if (!this.worthSplitting(count * features * memory.sizes[1], PARALLEL_LAYER_WORK)) {
      pass.inputGradient(count, 0, features);
      return;
    }
    const step = { rows, start, count };
    this.run(
      this.ranges(features).map(([j0, j1]) => ({ phase: 'inputGradient', ...step, j0, j1 })),
    );
  }

  /** Optimiser step number `step` over every parameter. */
  update(step: number, learningRate: number): void {
    const size = this.pass.layout.parameterCount;
    if (!this.worthSplitting(16 * size, PARALLEL_UPDATE_WORK)) {
      this.optimizer.update(step, learningRate, 0, size);
      return;
    }
    this.run(
      this.ranges(size).map(([start, end]) => ({
        phase: 'update',
        step,
        learningRate,
        start,
        end,
      })),
    );
  }

  private worthSplitting(work: number, threshold: number): boolean {
    return this.threads > 1 && work >= threshold;
  }

  /**
   * [0, n) cut into one contiguous range per thread, at multiples of 4: a range of units is
   * then whole float32x4 vectors of each row, which the WebAssembly kernels use in place.
   */
  private ranges(n: number): [number, number][] {
    const step = 4 * Math.ceil(n / this.threads / 4);
    const out: [number, number][] = [];
    for (let t = 0; t < this.threads; t++) {
      out.push([Math.min(n, t * step), Math.min(n, (t + 1) * step)]);
    }
    return out;
  }

  /** Job 0 on the calling thread, job w + 1 on worker w, all at once. */
  private run(jobs: PhaseJob[]): void {
    const crew = this.crew as Lockstep;
    for (let w = 0; w < crew.workers; w++) encodeJob(jobs[w + 1], crew.message(w));
    crew.run(() => runJob(this.pass, this.optimizer, jobs[0]));
  }
}
