import type { Augmentation } from './augmentation.js';
import type { ImageShape } from './image-shape.js';
import type { LayerSpec } from './layer-spec.js';

/**
 * A mini-batch is cut into this many chunks (fewer when it has fewer rows), whatever the
 * number of threads: each chunk's gradient is computed whole by one thread and the chunks'
 * gradients are added in chunk order, so the sum, and the model, are the same on any number of
 * threads. 8 keeps 2 to 8 threads busy; a chunk of a 128-row batch (16 images) is still a
 * large GEMM for each convolution.
 */
export const CHUNKS_PER_BATCH = 8;

/**
 * Everything the chunks of a fit read and write, as plain data: settings, and typed arrays in
 * shared memory when worker threads take part (see `allocatorFor`). A thread receives this
 * object with each chunk (arrays shared, not copied) and builds its own network over it once
 * per fit (see chunk-task.ts).
 */
export interface TrainingMemory {
  /** Identifies one fit (or partialFit call), so a thread rebuilds its network only for a new one. */
  id: string;
  imageShape: ImageShape;
  layers: readonly LayerSpec[];
  classes: number;
  /** The most rows of a chunk: ceil(batchSize / CHUNKS_PER_BATCH). */
  chunkRows: number;
  /** The parameters, read by every chunk (the calling thread updates them between batches). */
  params: Float32Array;
  /** CHUNKS_PER_BATCH gradients of params' length, one per chunk of the current batch. */
  gradients: Float32Array;
  /** Per chunk: its summed (weighted) cross-entropy, then its correctly predicted (weight of) rows. */
  chunkSums: Float64Array;
  /** The rows, [rows, height * width * channels], and their class indices. */
  x: Float32Array;
  y: Int32Array;
  /** Each row's weight in the loss (sample weight times class weight), or null: all 1. */
  lossWeights: Float64Array | null;
  /** Each row's sample weight, which the accuracies count, or null: all 1. */
  sampleWeights: Float64Array | null;
  /** The row lists batches are taken from, by name: 'train', 'validation'. */
  rowLists: Record<string, Int32Array>;
  /** The random distortions of the current batch's images, or null without augmentation. */
  augment: Augmentation | null;
  transforms: Float64Array | null;
  /** The seed of the dropout masks: chunk c of optimiser step t draws from its fork t * CHUNKS_PER_BATCH + c. */
  dropoutSeed: number;
}

/** One chunk of a batch for one thread (see {@link runChunk}). */
export interface ChunkJob {
  memory: TrainingMemory;
  /** `'train'`: loss, gradient and accuracy; `'evaluate'`: accuracy only, without dropout. */
  phase: 'train' | 'evaluate';
  /** The name of the row list, and the chunk's rows in it: [start, end). */
  rows: string;
  start: number;
  end: number;
  /** Its index in the batch: where its gradient and sums go. */
  chunk: number;
  /** The position of row `start` within its batch, which indexes the batch's transforms. */
  batchOffset: number;
  /** 1 / the batch's rows (or its total loss weight): the chunk's share of the batch's mean loss. */
  scale: number;
  /** The optimiser step this batch is, which picks the dropout masks. */
  step: number;
}
