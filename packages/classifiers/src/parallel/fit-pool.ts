import { WorkerPool, type TaskRef } from '@typedlearn/tensor';
import type { ResolvedFitOptions } from '../classifier.js';
import { CLEAR_THREAD_LOCALS, clearThreadLocals } from './thread-local.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/**
 * Runs `body`, the threaded part of a fit, with a {@link FitPool} of the fit's `threads`
 * (1: every task runs inline on the calling thread, and no worker starts). This is the one
 * way a classifier runs on threads:
 *
 * - The pool lives as long as `body` and is closed however `body` ends; a pool the caller
 *   gave (`options.pool`) is used instead, and left open.
 * - Aborting the fit's signal closes the pool at once, so queued and running tasks stop, and
 *   the fit rejects with the signal's reason.
 * - What threads keep between tasks ({@link threadLocal}) is dropped when the fit ends (after
 *   a failed fit on the caller's pool, when that pool closes).
 * - `preload` names tasks whose modules each worker imports as soon as it is up, so that the
 *   workers start while `body` prepares their data.
 *
 * Results must not depend on which thread ran what: a task takes its share of the work and
 * its randomness from its input alone, and {@link FitPool.each} returns outputs in input order.
 */
export async function runFit<T>(
  options: ResolvedFitOptions,
  body: (pool: FitPool) => Promise<T>,
  preload: readonly TaskRef[] = [],
): Promise<T> {
  const { signal } = options;
  const pool = options.pool ?? WorkerPool.create(options.threads);
  const stop = () => void pool.close();
  signal?.addEventListener('abort', stop);
  try {
    if (preload.length > 0) await pool.start(preload);
    const result = await body(new FitPool(pool, signal));
    // The caller's pool outlives the fit: its threads let go of the fit's memory now.
    if (options.pool !== undefined) await pool.eachThread(CLEAR_THREAD_LOCALS, undefined);
    return result;
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
    if (options.pool === undefined) await pool.close();
    clearThreadLocals();
  }
}

/** The threads of one fit, as {@link runFit} hands them to the classifier. */
export class FitPool {
  /** Number of threads (1: inline on the calling thread). */
  readonly threads: number;

  constructor(
    private readonly pool: WorkerPool,
    /** The fit's signal: aborting it closes the pool. */
    readonly signal: AbortSignal | undefined,
  ) {
    this.threads = pool.threads;
  }

  /**
   * Runs `task` once per input, as independent units of work (a tree, a pair of classes), and
   * resolves to the outputs in input order; `onOutput` sees each one as it arrives. Inputs
   * start in order. With worker threads one task more than threads is kept queued, so a thread
   * that replies gets its next task at once. Before each task starts, the event loop turns
   * (timers, progress output) and the signal is checked.
   */
  async each<I, O>(
    task: TaskRef,
    inputs: readonly I[],
    onOutput: (output: O, index: number) => void = () => {},
  ): Promise<O[]> {
    const outputs: O[] = new Array(inputs.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < inputs.length; i = next++) {
        await yieldToEventLoop();
        this.signal?.throwIfAborted();
        outputs[i] = await this.pool.run<I, O>(task, inputs[i]);
        onOutput(outputs[i], i);
      }
    };
    const lanes = this.threads > 1 ? this.threads + 1 : 1;
    await Promise.all(Array.from({ length: Math.min(lanes, inputs.length) }, lane));
    return outputs;
  }

  /**
   * Runs `task` on all inputs at once, typically one share per thread of one step of an
   * iterative algorithm, and resolves to the outputs in input order when all are done.
   */
  map<I, O>(task: TaskRef, inputs: readonly I[]): Promise<O[]> {
    return this.pool.map<I, O>(task, inputs);
  }
}
