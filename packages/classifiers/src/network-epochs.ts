// How the networks (the MLP and the convnet) close an epoch: `fit`'s history, progress and early
// stopping, and `partialFit`'s history.
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

/** The early-stopping settings {@link FitEpochs} reads (the MLP's and the convnet's). */
interface EarlyStoppingSettings {
  epochs: number;
  earlyStopping: boolean;
  patience: number;
  tol: number;
}

/**
 * The end of each of `fit`'s epochs, as the MLP and the convnet share it: the epoch goes into
 * `history` and to `onProgress`, the event loop runs and an abort is honoured; with early
 * stopping, the parameters of the best validation accuracy are copied, and {@link end} says
 * when `patience` epochs have not beaten it by more than `tol`.
 */
export class FitEpochs {
  readonly history: EpochRecord[] = [];
  stopReason: 'epochs' | 'early-stopping' = 'epochs';
  private best = { epoch: 0, accuracy: -Infinity, params: null as Float32Array | null };

  constructor(
    private readonly settings: EarlyStoppingSettings,
    private readonly options: ResolvedFitOptions,
  ) {}

  /** Records `record` (after training on `params`); true when early stopping ends the fit. */
  async end(record: EpochRecord, params: Float32Array): Promise<boolean> {
    const { settings, options } = this;
    this.history.push(record);
    options.onProgress({
      stage: 'epoch',
      step: record.epoch,
      total: settings.epochs,
      loss: record.loss,
      trainAccuracy: record.trainAccuracy,
      validationAccuracy: record.validationAccuracy,
    });
    await yieldToEventLoop();
    options.signal?.throwIfAborted();
    if (!settings.earlyStopping) return false;
    const accuracy = record.validationAccuracy as number;
    if (accuracy > this.best.accuracy + settings.tol) {
      this.best = { epoch: record.epoch, accuracy, params: params.slice() };
      return false;
    }
    if (record.epoch - this.best.epoch < settings.patience) return false;
    this.stopReason = 'early-stopping';
    return true;
  }

  /** The fitted parameters, in ordinary memory: the best epoch's with early stopping. */
  fittedParams(params: Float32Array): Float32Array {
    return (this.best.params ?? params).slice();
  }

  /** The epoch whose parameters are fitted. */
  get bestEpoch(): number {
    return this.best.params !== null ? this.best.epoch : this.history.length;
  }
}
