import type { ResolvedFitOptions } from './classifier.js';
import type { EpochRecord } from './mlp/mlp-classifier.js';
import { yieldToEventLoop } from './parallel/yield-to-event-loop.js';

/**
 * The history of a network after one `partialFit` epoch (the MLP's and the convnet's): the
 * epochs of `earlier` (the fitted model's `info.history`, if any) and this one, numbered next.
 * Reports the epoch through `onProgress`, then lets the event loop run and honours an abort,
 * as between `fit`'s epochs.
 */
export async function partialFitHistory(
  earlier: unknown,
  epoch: Omit<EpochRecord, 'epoch'>,
  options: ResolvedFitOptions,
): Promise<EpochRecord[]> {
  const history: EpochRecord[] = Array.isArray(earlier) ? [...earlier] : [];
  history.push({ epoch: history.length + 1, ...epoch });
  const { loss, trainAccuracy } = epoch;
  options.onProgress({ stage: 'epoch', step: 1, total: 1, loss, trainAccuracy });
  await yieldToEventLoop();
  options.signal?.throwIfAborted();
  return history;
}
