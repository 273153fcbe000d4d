import { threadLocal } from '../parallel/thread-local.js';
import { SoftmaxObjective, type SoftmaxMemory } from './softmax-objective.js';

/** Blocks [first, last) of the full-batch objective at `memory.params`. */
export interface BlockJob {
  memory: SoftmaxMemory;
  first: number;
  last: number;
}

/** The worker-side entry point of SoftmaxRegression's threads: computes its blocks' terms. */
export function evaluateBlocks(job: BlockJob): void {
  // This thread's objective over the fit's shared memory, built on its first job of the fit.
  const { memory } = job;
  const objective = threadLocal('softmax-objective', memory.id, () => new SoftmaxObjective(memory));
  for (let b = job.first; b < job.last; b++) objective.evaluateBlock(b);
}
