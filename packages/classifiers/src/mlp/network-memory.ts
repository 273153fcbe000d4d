import type { Allocator } from '@typedlearn/tensor';
import { Adam } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { SgdMomentum } from '../optim/sgd-momentum.js';
import type { Activation } from './activation.js';
import type { InputMemory } from './input-layer.js';

/**
 * Everything a forward/backward pass reads and writes, as plain data: the settings and the
 * typed arrays (allocated once per fit, in shared memory when worker threads take part).
 * A worker thread receives this object (its arrays are shared, not copied) and rebuilds the
 * same {@link NetworkPass} over it, so every thread works on the same numbers.
 */
export interface NetworkMemory {
  /** Identifies one fit, so a worker rebuilds its pass only when a new fit starts. */
  id: string;
  /** Units per layer: inputs, hidden layers, classes. */
  sizes: number[];
  activation: Activation;
  /** Rows per mini-batch (every per-batch buffer holds at least this many rows). */
  batchSize: number;
  /** Dropout keep probability (1: no dropout). */
  keep: number;
  /** L2 weight decay coefficient. */
  l2: number;
  params: Float32Array;
  gradient: Float32Array;
  /** Layer l's output [batchSize, sizes[l+1]]: hidden activations (after dropout), then logits. */
  outputs: Float32Array[];
  /** d loss / d Z_l of each hidden layer l [batchSize, sizes[l+1]]. */
  deltas: Float32Array[];
  /** Dropout masks of the hidden layers (1 keep, 0 drop); empty arrays without dropout. */
  masks: Uint8Array[];
  /** Class index of each row of the current batch. */
  labels: Int32Array;
  input: InputMemory;
  /** Row lists that batches are taken from, by name ('train', 'validation'). */
  rowLists: Record<string, Int32Array>;
  /** The optimiser and the arrays it keeps between steps (absent when only predicting). */
  optimizer?: { solver: 'adam' | 'sgd'; momentum: number; state: Float32Array[] };
}

/** The optimiser of `memory`, working on its parameters, gradient and optimiser state. */
export function createOptimizer(memory: NetworkMemory): Optimizer {
  const { params, gradient, optimizer } = memory;
  if (optimizer === undefined) throw new Error('this network memory has no optimiser state');
  const [first, second] = optimizer.state;
  return optimizer.solver === 'adam'
    ? new Adam(params, gradient, {}, undefined, [first, second])
    : new SgdMomentum(params, gradient, { momentum: optimizer.momentum }, undefined, [first]);
}

/** The per-batch buffers of a network with layer `sizes`, for batches of `batchSize` rows. */
export function allocateBatchBuffers(
  sizes: readonly number[],
  batchSize: number,
  dropout: boolean,
  allocator: Allocator,
): Pick<NetworkMemory, 'outputs' | 'deltas' | 'masks' | 'labels'> {
  const hidden = sizes.slice(1, -1);
  return {
    outputs: sizes.slice(1).map((units) => allocator('float32', batchSize * units)),
    deltas: hidden.map((units) => allocator('float32', batchSize * units)),
    masks: hidden.map((units) => allocator('uint8', dropout ? batchSize * units : 0)),
    labels: allocator('int32', batchSize),
  };
}
