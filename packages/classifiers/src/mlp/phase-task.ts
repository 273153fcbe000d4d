import { threadLocal } from '../parallel/thread-local.js';
import { createOptimizer, type NetworkMemory } from './network-memory.js';
import { NetworkPass } from './network-pass.js';

/** One layer's step on a batch of rows: units [u0, u1) of layer `layer`. */
interface LayerStep {
  memory: NetworkMemory;
  layer: number;
  /** The batch: `count` rows of `memory.rowLists[rows]` from `start`. */
  rows: string;
  start: number;
  count: number;
  u0: number;
  u1: number;
  dropout: boolean;
}

/** One thread's share of one step of a mini-batch (see {@link PhaseRunner}). */
export type PhaseJob =
  | ({ phase: 'forward' } & LayerStep)
  /** The backward step also propagates to units [v0, v1) of the layer below. */
  | ({ phase: 'backward'; v0: number; v1: number } & LayerStep)
  | {
      phase: 'update';
      memory: NetworkMemory;
      step: number;
      learningRate: number;
      start: number;
      end: number;
    };

/** Runs one job on the calling thread: the worker-side entry point of the MLP's threads. */
export function runPhase(job: PhaseJob): void {
  // This thread's view of the fit's shared memory, built on its first job of the fit.
  const { memory } = job;
  const current = threadLocal('mlp-network', memory.id, () => ({
    pass: new NetworkPass(memory),
    optimizer: createOptimizer(memory),
  }));
  const { pass } = current;
  switch (job.phase) {
    case 'forward':
      if (job.layer === 0)
        pass.input.use(batchRows(pass, job.rows, job.start, job.count), job.count);
      pass.forwardLayer(job.layer, job.count, job.u0, job.u1, job.dropout);
      return;
    case 'backward':
      if (job.layer === 0)
        pass.input.use(batchRows(pass, job.rows, job.start, job.count), job.count);
      pass.backwardLayer(job.layer, job.count, job.u0, job.u1, job.v0, job.v1, job.dropout);
      return;
    case 'update':
      current.optimizer.update(job.step, job.learningRate, job.start, job.end);
  }
}

function batchRows(pass: NetworkPass, rows: string, start: number, count: number): Int32Array {
  return pass.memory.rowLists[rows].subarray(start, start + count);
}
