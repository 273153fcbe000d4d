import { getBackend } from './backend.js';
import { TypedlearnError, ValueError } from './errors.js';
import { deserializeError, type TaskReply } from './pool-protocol.js';
import { runTask, type TaskRef } from './task.js';
import {
  loadWorkerThreadFactory,
  type WorkerThread,
  type WorkerThreadFactory,
} from './worker-thread.js';

/** A request posted to a thread, waiting for its reply. */
interface Pending {
  readonly id: number;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface Job extends Pending {
  readonly task: TaskRef;
  readonly input: unknown;
  readonly transfer: readonly Transferable[];
}

interface Slot {
  readonly thread: WorkerThread;
  job: Pending | undefined;
  /** Jobs for this thread alone ({@link WorkerPool.eachThread}), taken before the queue. */
  readonly own: Job[];
}

/**
 * A fixed number of threads running {@link TaskRef}s: `worker_threads` in Node, module Web
 * Workers in browsers. Tasks wait in a queue and go to the first idle thread.
 *
 * - `threads: 1` starts no worker: tasks run inline in the calling thread (same code, same
 *   results), so every parallel path has a single-thread path.
 * - A task that throws rejects its promise with an error of the same class and message.
 * - Idle threads are unref'd and {@link close} terminates them, so a pool never keeps a
 *   process alive; prefer {@link withPool}, which always closes.
 * - Inputs and outputs are structured-cloned; typed arrays backed by a `SharedArrayBuffer`
 *   (`allocateShared`, `Tensor.zeros(shape, dtype, { shared: true })`) are shared, not copied.
 * - Each task runs on the kernels backend (`getBackend()`) of the thread that queued it, so a
 *   task gives the same result inline and on a worker.
 */
export class WorkerPool {
  /** Number of threads tasks run on (1: inline in the calling thread). */
  readonly threads: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private factory: Promise<WorkerThreadFactory> | undefined;
  private nextId = 0;
  private closed = false;

  private constructor(threads: number) {
    this.threads = threads;
  }

  /**
   * A pool of `threads` threads (an integer >= 1). Workers start lazily, on the first task,
   * or all at once on {@link start}.
   */
  static create(threads: number): WorkerPool {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new ValueError(`WorkerPool threads must be an integer >= 1, got ${threads}`);
    }
    return new WorkerPool(threads);
  }

  /**
   * Runs `task` on `input` and resolves to its output. `transfer` lists ArrayBuffers to move to
   * the worker instead of copying (they become unusable here); ignored when running inline.
   */
  async run<I, O>(task: TaskRef, input: I, transfer: readonly Transferable[] = []): Promise<O> {
    this.assertOpen();
    if (this.threads === 1) return (await runTask(task, input)) as O;
    this.factory ??= loadWorkerThreadFactory();
    const factory = await this.factory;
    this.assertOpen();
    return new Promise<O>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        task,
        input,
        transfer,
        resolve: resolve as (output: unknown) => void,
        reject,
      };
      this.queue.push(job);
      this.dispatch(factory);
    });
  }

  /**
   * Starts every thread now instead of at the first task, so that their start-up overlaps
   * whatever the caller does next (a pool of 1 thread has none to start). Each new thread
   * also imports the modules of the `preload` tasks as soon as it is up; otherwise a thread
   * loads a task's module when it first runs that task. Resolves once the threads are asked
   * to start, without waiting for them; a module that fails to import fails the first task
   * that needs it, as without preloading.
   */
  async start(preload: readonly TaskRef[] = []): Promise<void> {
    this.assertOpen();
    if (this.threads === 1) return;
    this.factory ??= loadWorkerThreadFactory();
    const factory = await this.factory;
    this.assertOpen();
    while (this.slots.length < this.threads) {
      const slot = this.startSlot(factory);
      if (preload.length > 0) this.preload(slot, preload);
    }
  }

  /**
   * Runs `task` on `input` once on every thread started so far, each after the task it is
   * running (inline, once, for a pool of 1 thread): for what concerns threads rather than work,
   * such as dropping what earlier tasks kept in them.
   */
  async eachThread(task: TaskRef, input: unknown): Promise<void> {
    this.assertOpen();
    if (this.threads === 1) {
      await runTask(task, input);
      return;
    }
    const factory = await (this.factory ??= loadWorkerThreadFactory());
    this.assertOpen();
    const done = this.slots.map(
      (slot) =>
        new Promise<unknown>((resolve, reject) => {
          slot.own.push({ id: this.nextId++, task, input, transfer: [], resolve, reject });
        }),
    );
    this.dispatch(factory);
    await Promise.all(done);
  }

  /** Runs `task` once per input, in parallel; resolves to the outputs in input order. */
  map<I, O>(task: TaskRef, inputs: readonly I[]): Promise<O[]> {
    return Promise.all(inputs.map((input) => this.run<I, O>(task, input)));
  }

  /**
   * Terminates every thread. Tasks still queued or running reject; later calls to `run`
   * throw. Safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new TypedlearnError('the worker pool was closed before this task finished');
    for (const job of this.queue.splice(0)) job.reject(error);
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.job?.reject(error);
      for (const job of slot.own.splice(0)) job.reject(error);
    }
    await Promise.all(slots.map((slot) => slot.thread.terminate()));
  }

  /**
   * Gives idle threads their own jobs, then queued jobs, starting threads up to `threads`.
   */
  private dispatch(factory: WorkerThreadFactory): void {
    for (const slot of this.slots) {
      while (slot.job === undefined && slot.own.length > 0)
        this.post(slot, slot.own.shift() as Job);
    }
    while (this.queue.length > 0) {
      let slot = this.slots.find((candidate) => candidate.job === undefined);
      if (slot === undefined) {
        if (this.slots.length >= this.threads) return;
        slot = this.startSlot(factory);
      }
      this.post(slot, this.queue.shift() as Job);
    }
  }

  /** Sends `job` to the idle thread of `slot`. */
  private post(slot: Slot, job: Job): void {
    slot.job = job;
    slot.thread.ref();
    try {
      const backend = getBackend();
      slot.thread.post({ id: job.id, task: job.task, input: job.input, backend }, job.transfer);
    } catch (error) {
      // The input could not be cloned: fail this job, keep the thread.
      slot.job = undefined;
      slot.thread.unref();
      job.reject(error as Error);
    }
  }

  /** Has the idle thread of `slot` import the modules of `tasks` (a job nobody awaits). */
  private preload(slot: Slot, tasks: readonly TaskRef[]): void {
    const ignore = (): void => {};
    const preloading: Pending = { id: this.nextId++, resolve: ignore, reject: ignore };
    slot.job = preloading;
    slot.thread.ref();
    slot.thread.post({ id: preloading.id, preload: tasks }, []);
  }

  private startSlot(factory: WorkerThreadFactory): Slot {
    const slot: Slot = {
      thread: factory({
        onReply: (reply) => this.finish(slot, reply, factory),
        onFailure: (error) => this.fail(slot, error, factory),
      }),
      job: undefined,
      own: [],
    };
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, reply: TaskReply, factory: WorkerThreadFactory): void {
    const job = slot.job;
    if (job === undefined || job.id !== reply.id) return;
    slot.job = undefined;
    slot.thread.unref();
    if (reply.ok) job.resolve(reply.output);
    else job.reject(deserializeError(reply.error));
    this.dispatch(factory);
  }

  /** A thread died (an error outside any task, or an exit): fail its job and replace it. */
  private fail(slot: Slot, error: Error, factory: WorkerThreadFactory): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    slot.job?.reject(error);
    for (const job of slot.own.splice(0)) job.reject(error);
    void slot.thread.terminate();
    if (!this.closed) this.dispatch(factory);
  }

  private assertOpen(): void {
    if (this.closed) throw new TypedlearnError('this worker pool is closed; create a new one');
  }
}

/**
 * Runs `body` with a pool of `threads` threads and closes the pool afterwards, whether `body`
 * resolves or throws. Resolves to what `body` resolves to.
 */
export async function withPool<T>(
  threads: number,
  body: (pool: WorkerPool) => Promise<T>,
): Promise<T> {
  const pool = WorkerPool.create(threads);
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}
