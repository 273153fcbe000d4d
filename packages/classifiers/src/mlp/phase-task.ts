import { attachKernels, viewsIn, type SharedKernelsHandle } from '@typedlearn/tensor';
import type { Optimizer } from '../optim/optimizer.js';
import { serveLockstep, type LockstepChannel } from '../parallel/lockstep.js';
import { createOptimizer, type NetworkMemory } from './network-memory.js';
import { NetworkPass } from './network-pass.js';

/** One thread's share of one step of a mini-batch (see `PhaseRunner`). */
export type PhaseJob =
  /** Rows [r0, r1) of a batch (`count` rows of row list `rows` from `start`) through layer `layer`. */
  | { phase: 'forward'; layer: number; rows: RowList; start: number; count: number; r0: number; r1: number; dropout: boolean } // prettier-ignore
  /** Units [u0, u1) of layer `layer` backward, and the layer below's delta for its units [v0, v1). */
  | { phase: 'backward'; layer: number; rows: RowList; start: number; count: number; u0: number; u1: number; v0: number; v1: number; dropout: boolean } // prettier-ignore
  /** Rows [j0, j1) of the first layer's weight gradient (and its bias gradient with j0 = 0). */
  | { phase: 'inputGradient'; rows: RowList; start: number; count: number; j0: number; j1: number } // prettier-ignore
  /** Optimiser step number `step` on parameters [start, end). */
  | { phase: 'update'; step: number; learningRate: number; start: number; end: number };

/** The row lists of a {@link NetworkMemory} that batches come from. */
export type RowList = 'train' | 'validation';
const ROW_LISTS: readonly RowList[] = ['train', 'validation'];
const PHASES = ['forward', 'backward', 'inputGradient', 'update'] as const;

/** Numbers in a job's message: the phase, then up to 9 fields. */
export const PHASE_MESSAGE_LENGTH = 10;

/** Runs `job` on `pass` (and `optimizer`), in the calling thread. */
export function runJob(pass: NetworkPass, optimizer: Optimizer, job: PhaseJob): void {
  switch (job.phase) {
    case 'forward':
      if (job.layer === 0) pass.input.use(batchRows(pass, job.rows, job.start, job.count), job.count); // prettier-ignore
      pass.forwardLayer(job.layer, job.r0, job.r1, job.dropout);
      return;
    case 'backward':
      pass.backwardLayer(job.layer, job.count, job.u0, job.u1, job.v0, job.v1, job.dropout);
      return;
    case 'inputGradient':
      pass.input.use(batchRows(pass, job.rows, job.start, job.count), job.count);
      pass.inputGradient(job.count, job.j0, job.j1);
      return;
    case 'update':
      optimizer.update(job.step, job.learningRate, job.start, job.end);
  }
}

/** Writes `job` into a worker's message. */
export function encodeJob(job: PhaseJob, message: Float64Array): void {
  message[0] = PHASES.indexOf(job.phase);
  if (job.phase === 'update') {
    message.set([job.step, job.learningRate, job.start, job.end], 1);
    return;
  }
  if (job.phase === 'inputGradient') {
    message.set([ROW_LISTS.indexOf(job.rows), job.start, job.count, job.j0, job.j1], 1);
    return;
  }
  const range = job.phase === 'forward' ? [job.r0, job.r1, 0, 0] : [job.u0, job.u1, job.v0, job.v1];
  const fields = [job.layer, ROW_LISTS.indexOf(job.rows), job.start, job.count, ...range, job.dropout ? 1 : 0]; // prettier-ignore
  message.set(fields, 1);
}

/** The job {@link encodeJob} wrote into `message`. */
export function decodeJob(message: Float64Array): PhaseJob {
  const phase = PHASES[message[0]];
  if (phase === 'update') {
    return { phase, step: message[1], learningRate: message[2], start: message[3], end: message[4] }; // prettier-ignore
  }
  if (phase === 'inputGradient') {
    const [rows, start, count, j0, j1] = message.subarray(1);
    return { phase, rows: ROW_LISTS[rows], start, count, j0, j1 };
  }
  const [layer, rows, start, count, a, b, v0, v1, dropout] = message.subarray(1);
  const step = { layer, rows: ROW_LISTS[rows], start, count, dropout: dropout === 1 };
  return phase === 'forward'
    ? { phase, ...step, r0: a, r1: b }
    : { phase, ...step, u0: a, u1: b, v0, v1 };
}

/** What a worker of an MLP fit is started with. */
export interface PhaseServerInput {
  memory: NetworkMemory;
  /**
   * The fit's kernels memory and the range lent to this worker, when its arrays live there
   * (`memory` then comes from `KernelsArena.portable`).
   */
  kernels: SharedKernelsHandle | undefined;
  channel: LockstepChannel;
}

/**
 * Pool task: a worker's part of an MLP fit. Builds its view of the fit's shared memory once,
 * then runs the jobs it is handed until the fit ends (`serveLockstep`). Attached to the fit's
 * kernels memory, its kernels work on the fit's arrays in place, as the calling thread's do.
 */
export function servePhases({ memory: posted, kernels, channel }: PhaseServerInput): void {
  const memory = kernels === undefined ? posted : viewsIn(posted, attachKernels(kernels));
  const pass = new NetworkPass(memory);
  const optimizer = createOptimizer(memory);
  serveLockstep(channel, (message) => runJob(pass, optimizer, decodeJob(message)));
}

function batchRows(pass: NetworkPass, rows: RowList, start: number, count: number): Int32Array {
  return pass.memory.rowLists[rows].subarray(start, start + count);
}
