import { allocateShared, isShared, TypedlearnError, type TaskRef } from '@typedlearn/tensor';
import type { FitPool } from './fit-pool.js';

/**
 * Worker threads held by one fit for its whole length and handed one short step after another
 * through shared memory, with the calling thread taking a share of each step itself: what a
 * training loop needs when its steps last a fraction of a millisecond (an MLP's layer on a
 * mini-batch). A message to a pool worker and its reply take 0.3-1 ms on a 2-core machine;
 * here a step is a counter written with `Atomics.store`, and the threads spin a little, then
 * sleep in `Atomics.wait`, until the next one: a few microseconds when the other side is
 * quick.
 *
 * Each worker runs `task` once, with its {@link LockstepChannel} added to its input, and serves
 * steps with {@link serveLockstep} until {@link stop}. A step's description is a few numbers
 * the caller writes into the worker's {@link message} before {@link run}. A worker whose step
 * throws stops serving; `run` then throws, and `stop` rejects with the worker's own error.
 */
export class Lockstep {
  /** Number of worker threads (the calling thread is not counted). */
  readonly workers: number;
  private readonly control: Int32Array;
  private readonly messages: Float64Array[];
  private readonly served: Promise<unknown>;
  private sequence = 0;
  private stopped = false;

  private constructor(
    control: Int32Array,
    messages: Float64Array[],
    served: Promise<unknown>,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.workers = messages.length;
    this.control = control;
    this.messages = messages;
    this.served = served;
  }

  /**
   * Starts `task` once per input, each on a worker of its own with that input (plus its
   * channel), and resolves once they all serve steps of up to `messageLength` numbers. A fit on
   * `threads` threads gives `threads - 1` inputs: the calling thread is the other.
   */
  static async start<I extends object>(
    pool: FitPool,
    task: TaskRef,
    inputs: readonly I[],
    messageLength: number,
  ): Promise<Lockstep> {
    const workers = inputs.length;
    if (workers > pool.threads) {
      // Every task serves until stopped: one queued behind another would never start.
      throw new TypedlearnError(`Lockstep: ${workers} workers need a pool of as many threads, got ${pool.threads}`); // prettier-ignore
    }
    const control = allocateShared('int32', SLOTS * workers);
    if (!isShared(control)) {
      throw new TypedlearnError('worker threads need SharedArrayBuffer, which is unavailable here');
    }
    const messages = inputs.map(() => allocateShared('float64', messageLength));
    const jobs = inputs.map((input, index) => ({
      ...input,
      channel: { control, message: messages[index], index } satisfies LockstepChannel,
    }));
    let failure: unknown;
    const served = pool.map(task, jobs);
    served.catch((error: unknown) => {
      failure = error;
    });
    const ready = () => inputs.every((_, w) => Atomics.load(control, SLOTS * w + READY) === 1);
    while (!ready()) {
      if (failure !== undefined) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return new Lockstep(control, messages, served, pool.signal);
  }

  /** Where the step for worker `w` is written before {@link run}. */
  message(w: number): Float64Array {
    return this.messages[w];
  }

  /**
   * Runs one step: signals every worker to run the step in its message, runs `inline` (the
   * calling thread's share), then waits for every worker to finish. Throws when a worker
   * failed (its error comes from {@link stop}), and the abort reason once the fit is aborted.
   */
  run(inline: () => void): void {
    if (this.stopped) throw new TypedlearnError('this Lockstep is stopped');
    // An aborted fit has closed the pool: its workers are gone.
    this.signal?.throwIfAborted();
    const { control } = this;
    const step = ++this.sequence;
    for (let w = 0; w < this.workers; w++) {
      Atomics.store(control, SLOTS * w + REQUEST, step);
      Atomics.notify(control, SLOTS * w + REQUEST);
    }
    try {
      inline();
    } finally {
      for (let w = 0; w < this.workers; w++) waitUntil(control, SLOTS * w + DONE, step);
    }
    for (let w = 0; w < this.workers; w++) {
      if (Atomics.load(control, SLOTS * w + FAILED) === 1) {
        throw new TypedlearnError('a worker thread failed on a step; see the error of the fit');
      }
    }
  }

  /** Lets the workers go and resolves when they have; rejects with a worker's error, if any. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (let w = 0; w < this.workers; w++) {
        Atomics.store(this.control, SLOTS * w + REQUEST, STOP);
        Atomics.notify(this.control, SLOTS * w + REQUEST);
      }
    }
    await this.served;
  }
}

/** What a worker of a {@link Lockstep} serves steps through. */
export interface LockstepChannel {
  readonly control: Int32Array;
  /** The step's numbers, written by the calling thread. */
  readonly message: Float64Array;
  /** This worker's index. */
  readonly index: number;
}

/**
 * The worker's side of a {@link Lockstep}: says it is ready, then runs `step` on the message of
 * each step until the calling thread stops it. A step that throws is reported to the calling
 * thread (its `run` throws) and rethrown here, which ends the worker's task with that error.
 */
export function serveLockstep(
  channel: LockstepChannel,
  step: (message: Float64Array) => void,
): void {
  const { control, message } = channel;
  const base = SLOTS * channel.index;
  Atomics.store(control, base + READY, 1);
  let seen = 0;
  for (;;) {
    waitUntilNot(control, base + REQUEST, seen);
    seen = Atomics.load(control, base + REQUEST);
    if (seen === STOP) return;
    try {
      step(message);
    } catch (error) {
      Atomics.store(control, base + FAILED, 1);
      throw error;
    } finally {
      Atomics.store(control, base + DONE, seen);
      Atomics.notify(control, base + DONE);
    }
  }
}

// The control words of worker w are [SLOTS * w, SLOTS * w + SLOTS).
const SLOTS = 4;
/** The number of the step asked for; STOP to end. */
const REQUEST = 0;
/** The number of the last step finished. */
const DONE = 1;
/** 1 once a step threw. */
const FAILED = 2;
/** 1 once the worker serves steps. */
const READY = 3;
const STOP = -1;
/** Checks of a word before a thread sleeps on it (tens of microseconds); a power of 2. */
const SPINS = 1 << 14;
/** How long the calling thread waits for a step before it takes the worker for dead. */
const PATIENCE_MS = 10 * 60_000;

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
let canBlock: boolean | undefined;

function blockingAllowed(): boolean {
  if (canBlock === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      canBlock = true;
    } catch {
      canBlock = false;
    }
  }
  return canBlock;
}

/**
 * Returns once `control[at]` is `value`: spins, then sleeps until the word changes. A worker
 * that has not answered in {@link PATIENCE_MS} has died outside its step (its thread was
 * killed): nothing else would wake this thread, so it gives up.
 */
function waitUntil(control: Int32Array, at: number, value: number): void {
  let since = -1;
  for (let spins = 0; ; spins++) {
    const current = Atomics.load(control, at);
    if (current === value) return;
    if (spins < SPINS || (spins & (SPINS - 1)) !== 0) continue;
    if (since < 0) since = performance.now();
    else if (performance.now() - since > PATIENCE_MS) {
      throw new TypedlearnError(`a worker thread has not finished its step in ${PATIENCE_MS / 60_000} minutes`); // prettier-ignore
    }
    if (blockingAllowed()) Atomics.wait(control, at, current, 100);
  }
}

/** Returns once `control[at]` is no longer `value`. */
function waitUntilNot(control: Int32Array, at: number, value: number): void {
  for (let spins = 0; Atomics.load(control, at) === value; spins++) {
    if (spins >= SPINS) Atomics.wait(control, at, value);
  }
}
