import { SoftmaxObjective, type SoftmaxMemory } from './softmax-objective.js';

/** Blocks [first, last) of the full-batch objective at `memory.params`. */
export interface BlockJob {
  memory: SoftmaxMemory;
  first: number;
  last: number;
}

/** This thread's objective over the current fit's shared memory, rebuilt when a new fit begins. */
let current: SoftmaxObjective | undefined;

/** The worker-side entry point of SoftmaxRegression's threads: computes its blocks' terms. */
export function evaluateBlocks(job: BlockJob): void {
  if (current === undefined || current.memory.id !== job.memory.id) {
    current = new SoftmaxObjective(job.memory);
  }
  for (let b = job.first; b < job.last; b++) current.evaluateBlock(b);
}
