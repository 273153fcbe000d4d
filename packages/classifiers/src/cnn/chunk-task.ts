import { Rng, argmaxRows } from '@typedlearn/tensor';
import { threadLocal } from '../parallel/thread-local.js';
import { TRANSFORM_VALUES, warpImage } from './augmentation.js';
import { ConvNet } from './conv-net.js';
import { ConvNetLayout } from './network-layout.js';
import { CHUNKS_PER_BATCH, type ChunkJob, type TrainingMemory } from './training-memory.js';

/** A thread's network over a fit's memory, and its scratch for one chunk's labels and weights. */
interface ChunkWorkspace {
  net: ConvNet;
  labels: Int32Array;
  weights: Float64Array | null;
  predicted: Int32Array;
}

/**
 * Runs one chunk of a batch on the calling thread: the worker-side entry point of the
 * ConvNet's data-parallel training (and the single-thread path, which runs the same chunks
 * inline). Everything it computes depends on the job alone, never on which thread runs it:
 *
 * - `'train'`: the chunk's images (distorted by the batch's transforms when augmenting) go
 *   forward with dropout masks from the fork of the step and chunk, through the softmax
 *   cross-entropy and backward; the chunk's gradient of the batch's mean loss goes to its slot
 *   of `gradients`, its summed loss and correct rows to its slot of `chunkSums`.
 * - `'evaluate'`: forward without dropout; the correct rows go to `chunkSums`.
 */
export function runChunk(job: ChunkJob): void {
  const { memory, chunk } = job;
  const workspace = threadLocal('cnn-network', memory.id, () => createWorkspace(memory));
  const { net, labels, weights, predicted } = workspace;
  const rowList = memory.rowLists[job.rows];
  const count = job.end - job.start;
  const training = job.phase === 'train';
  loadImages(memory, net, rowList, job.start, count, training ? job.batchOffset : -1);
  for (let r = 0; r < count; r++) labels[r] = memory.y[rowList[job.start + r]];
  const dropout = training
    ? new Rng(memory.dropoutSeed).fork(job.step * CHUNKS_PER_BATCH + chunk)
    : null;
  net.forward(memory.params, count, dropout);
  // A thread's network computes in float32.
  const logits = net.logits as Float32Array;
  argmaxRows(logits.subarray(0, count * memory.classes), count, memory.classes, predicted);
  let correct = 0;
  for (let r = 0; r < count; r++) {
    if (predicted[r] !== labels[r]) continue;
    const row = rowList[job.start + r];
    correct += memory.sampleWeights === null ? 1 : memory.sampleWeights[row];
  }
  memory.chunkSums[2 * chunk + 1] = correct;
  if (!training) return;
  if (weights !== null && memory.lossWeights !== null) {
    for (let r = 0; r < count; r++) weights[r] = memory.lossWeights[rowList[job.start + r]];
  }
  memory.chunkSums[2 * chunk] = net.crossEntropy(labels, count, job.scale, weights);
  const size = memory.params.length;
  net.backward(memory.params, memory.gradients.subarray(chunk * size, (chunk + 1) * size), count);
}

function createWorkspace(memory: TrainingMemory): ChunkWorkspace {
  const { chunkRows } = memory;
  const layout = new ConvNetLayout(memory.imageShape, memory.layers, memory.classes);
  return {
    net: new ConvNet(layout, chunkRows, 'float32'),
    labels: new Int32Array(chunkRows),
    weights: memory.lossWeights === null ? null : new Float64Array(chunkRows),
    predicted: new Int32Array(chunkRows),
  };
}

/**
 * Copies rows [start, start + count) of `rowList` into the network's input; with a
 * `batchOffset` >= 0 and augmentation on, warped by the batch's transforms from that position.
 */
function loadImages(
  memory: TrainingMemory,
  net: ConvNet,
  rowList: Int32Array,
  start: number,
  count: number,
  batchOffset: number,
): void {
  const { x, transforms, imageShape } = memory;
  const { input } = net;
  const size = net.layout.features;
  for (let r = 0; r < count; r++) {
    const from = rowList[start + r] * size;
    const to = r * size;
    if (transforms === null || batchOffset < 0) {
      for (let j = 0; j < size; j++) input[to + j] = x[from + j];
    } else {
      const t = (batchOffset + r) * TRANSFORM_VALUES;
      warpImage(
        imageShape,
        x,
        from,
        input,
        to,
        transforms[t],
        transforms[t + 1],
        transforms[t + 2],
      );
    }
  }
}
