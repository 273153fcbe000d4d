import { allocatorFor, fillSparseRows, isShared, type Allocator } from '@typedlearn/tensor';
import { OptimizerCheckpoint } from '../optim/optimizer-checkpoint.js';
import { newMemoryId } from '../parallel/thread-local.js';
import type { Activation } from './activation.js';
import type { InputMemory } from './input-layer.js';
import type { MlpLayout } from './layout.js';
import type { NetworkMemory } from './network-memory.js';

/** What one `partialFit` call trains on, and how (see {@link IncrementalTraining.prepare}). */
export interface PassSettings {
  layout: MlpLayout;
  activation: Activation;
  /** Whether dropout masks are drawn, and the keep probability. */
  dropout: boolean;
  keep: number;
  l2: number;
  /** Rows per mini-batch of this call. */
  batchSize: number;
  /** The call's rows, row-major [rows, layout.sizes[0]]. */
  x: Float32Array;
  rows: number;
  /**
   * The rows' count of nonzero values when the first layer multiplies the nonzeros only (its
   * sparse form), null for the dense form.
   */
  nonzeros: number | null;
  /** Whether the batches carry loss weights. */
  weighted: boolean;
  /** Whether worker threads take part: every array of the memory must then be shared. */
  shared: boolean;
}

/**
 * What an {@link MLPClassifier} keeps from one training call to the next, so that `partialFit`
 * continues where `fit` or the last `partialFit` left off: the optimiser's state (Adam's two
 * moment vectors, or SGD's velocity), the steps and the epochs done, and the buffers of the
 * last partialFit call, so that the next one allocates only what must grow (a longer batch,
 * more rows, shared memory for threads). A model restored from a file has none: its first
 * partialFit starts a fresh one.
 */
export class IncrementalTraining {
  /** Optimiser steps (mini-batches) done: Adam's bias corrections count them. */
  step: number;
  /** Epochs done, fit's and partialFit's: where the learning-rate schedule is. */
  epochs: number;
  private readonly buffers = new KeptBuffers();
  private readonly moments: number;
  private readonly saved = new OptimizerCheckpoint();

  /**
   * `state`: the optimiser's arrays after `fit` (taken over, not copied), with the `step` and
   * `epochs` it did; without them, a fresh optimiser (zero moments, no step done).
   */
  constructor(
    readonly solver: 'adam' | 'sgd',
    readonly momentum: number,
    readonly parameterCount: number,
    state?: readonly Float32Array[],
    step = 0,
    epochs = 0,
  ) {
    this.moments = solver === 'adam' ? 2 : 1;
    state?.forEach((array, i) => this.buffers.adopt(`moment.${i}`, array, isShared(array)));
    this.step = step;
    this.epochs = epochs;
  }

  /**
   * The network memory of one call (a fresh id, so worker threads rebuild their view of it),
   * over the kept buffers, with the call's rows as the first layer's input and the training
   * order 0..rows-1 (to be shuffled); and the epoch's scratch for predictions and batch
   * weights. The parameters are left for the caller to set.
   */
  prepare(settings: PassSettings): {
    memory: NetworkMemory;
    predicted: Int32Array;
    batchWeights: Float64Array | null;
  } {
    const { layout, batchSize, rows, shared, keep } = settings;
    const { buffers, parameterCount } = this;
    const hidden = layout.sizes.slice(1, -1);
    const order = buffers.int32('order', rows, shared);
    for (let i = 0; i < rows; i++) order[i] = i;
    const memory: NetworkMemory = {
      id: newMemoryId(),
      sizes: [...layout.sizes],
      activation: settings.activation,
      batchSize,
      keep,
      l2: settings.l2,
      params: buffers.float32('params', parameterCount, shared),
      gradient: buffers.float32('gradient', parameterCount, shared),
      outputs: layout.sizes
        .slice(1)
        .map((units, l) => buffers.float32(`outputs.${l}`, batchSize * units, shared)),
      deltas: hidden.map((units, l) => buffers.float32(`deltas.${l}`, batchSize * units, shared)),
      masks: hidden.map((units, l) =>
        buffers.uint8(`masks.${l}`, settings.dropout ? batchSize * units : 0, shared),
      ),
      labels: buffers.int32('labels', batchSize, shared),
      input: this.inputMemory(settings),
      rowLists: { train: order },
      optimizer: { solver: this.solver, momentum: this.momentum, state: this.state(shared) },
    };
    return {
      memory,
      predicted: buffers.int32('predicted', batchSize, false),
      batchWeights: settings.weighted ? buffers.float64('batchWeights', batchSize, false) : null,
    };
  }

  /** Remembers the optimiser's state, steps and epochs, for {@link rollback}. */
  checkpoint(): void {
    this.saved.save(this.state(false), this.step, this.epochs);
  }

  /** Puts back what the last {@link checkpoint} remembered, after a call failed. */
  rollback(): void {
    const counters = this.saved.restore(this.state(false));
    if (counters === undefined) return;
    this.step = counters.step;
    this.epochs = counters.epochs;
  }

  /** The optimiser's arrays (zeros until a first step). */
  private state(shared: boolean): Float32Array[] {
    return Array.from({ length: this.moments }, (_, i) =>
      this.buffers.float32(`moment.${i}`, this.parameterCount, shared),
    );
  }

  /**
   * The first layer's memory over the call's rows: their nonzeros as compressed sparse rows,
   * or the dense rows themselves (a copy in shared memory when threads take part).
   */
  private inputMemory(settings: PassSettings): InputMemory {
    const { buffers } = this;
    const { x, rows, batchSize, shared } = settings;
    const features = settings.layout.sizes[0];
    const { nonzeros } = settings;
    if (nonzeros === null) {
      const own = shared ? buffers.float32('x', rows * features, true) : x;
      if (own !== x) own.set(x);
      return {
        format: 'dense',
        features,
        x: own,
        batch: buffers.float32('batch', batchSize * features, shared),
      };
    }
    const rowStart = buffers.int32('rowStart', rows + 1, shared);
    const columns = buffers.int32('columns', nonzeros, shared);
    const values = buffers.float32('values', nonzeros, shared);
    fillSparseRows(x, rows, features, rowStart, columns, values);
    return { format: 'sparse', rows, features, rowStart, columns, values };
  }
}

type KeptArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Typed arrays kept by name from one call to the next. A request gets a view of the kept
 * array, of the length asked for; a new array is made only when the kept one is shorter, or
 * not in shared memory when shared memory is asked for, and the kept values are copied into
 * it (so the optimiser's state survives a move to shared memory). Views hold whatever the
 * last call left in them: every buffer here is written before it is read, except the ones
 * whose values are meant to carry over.
 */
class KeptBuffers {
  private readonly kept = new Map<string, { array: KeptArray; shared: boolean }>();

  /** Keeps `array` under `name`, as if made for it. */
  adopt(name: string, array: KeptArray, shared: boolean): void {
    this.kept.set(name, { array, shared });
  }

  float32(name: string, length: number, shared: boolean): Float32Array {
    return this.take(name, length, shared, (allocate, n) => allocate('float32', n));
  }

  float64(name: string, length: number, shared: boolean): Float64Array {
    return this.take(name, length, shared, (allocate, n) => allocate('float64', n));
  }

  int32(name: string, length: number, shared: boolean): Int32Array {
    return this.take(name, length, shared, (allocate, n) => allocate('int32', n));
  }

  uint8(name: string, length: number, shared: boolean): Uint8Array {
    return this.take(name, length, shared, (allocate, n) => allocate('uint8', n));
  }

  private take<A extends KeptArray>(
    name: string,
    length: number,
    shared: boolean,
    make: (allocate: Allocator, length: number) => A,
  ): A {
    const kept = this.kept.get(name) as { array: A; shared: boolean } | undefined;
    if (kept !== undefined && kept.array.length >= length && (kept.shared || !shared)) {
      return kept.array.subarray(0, length) as A;
    }
    const array = make(allocatorFor(shared), Math.max(length, kept?.array.length ?? 0));
    if (kept !== undefined) array.set(kept.array as never);
    this.kept.set(name, { array, shared });
    return array.subarray(0, length) as A;
  }
}
