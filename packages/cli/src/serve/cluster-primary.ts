import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { TypedlearnError } from '@typedlearn/tensor';
import {
  isTypedlearnMessage,
  tellWorker,
  type WorkerMessage,
  type WorkerSettings,
} from './cluster-messages.js';
import { ClusterMetricsSum } from './cluster-metrics.js';
import type { RunningServer } from './running-server.js';

/** More unexpected worker exits than this within {@link CRASH_WINDOW_MS} stop the server. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 10_000;
/** The workers' entry module, beside this one (TypeScript when run from the sources). */
const WORKER_ENTRY = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? './cluster-worker.ts' : './cluster-worker.js',
    import.meta.url,
  ),
);

/**
 * `typedlearn serve --workers N`: forks N worker processes (node:cluster, with the primary's
 * Node flags, so from the sources too) that each run `startDigitServer` on the shared port;
 * the primary hands the connections out in turn, so a slow request holds up one worker only.
 * The primary serves nothing itself: it starts, replaces and stops the workers, and sums their
 * metrics. Resolves once every worker listens; if one cannot start (the port is taken, say),
 * all are stopped and its error is thrown.
 *
 * A worker that exits while serving is replaced, with a line on stderr. More than
 * {@link MAX_CRASHES} exits within {@link CRASH_WINDOW_MS} mean that every worker fails, and
 * the server stops (`failed` rejects) rather than restarting workers in a loop.
 */
export async function startWorkers(
  settings: WorkerSettings,
  count: number,
): Promise<RunningServer> {
  cluster.setupPrimary({ exec: WORKER_ENTRY, serialization: 'advanced' });
  /** Every worker process not yet exited, and those of them that listen. */
  const workers = new Set<Worker>();
  const listening = new Set<Worker>();
  const metrics = new ClusterMetricsSum();
  const recentExits: number[] = [];
  let started = false;
  let stopping: Promise<void> | undefined;
  let onAllExited: (() => void) | undefined;
  let fail!: (error: Error) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // serve() awaits it; this only keeps an early rejection quiet

  /** Starts a worker; `listening` resolves to its URL, or rejects if it fails to start. */
  function fork(): { worker: Worker; listening: Promise<string> } {
    const worker = cluster.fork();
    workers.add(worker);
    const listeningAt = new Promise<string>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (!isTypedlearnMessage(message)) return;
        switch (message.type) {
          case 'typedlearn:waiting':
            tellWorker(worker, { type: 'typedlearn:start', settings });
            break;
          case 'typedlearn:listening':
            listening.add(worker);
            resolve(message.url);
            break;
          case 'typedlearn:failed':
            reject(Object.assign(new Error(message.message), { code: message.code }));
            break;
          case 'typedlearn:metrics-sum-request':
            metrics.sum(listening).then(
              (text) =>
                tellWorker(worker, { type: 'typedlearn:metrics-sum', id: message.id, text }),
              (error: Error) =>
                tellWorker(worker, {
                  type: 'typedlearn:metrics-sum',
                  id: message.id,
                  error: error.message,
                }),
            );
            break;
          case 'typedlearn:metrics-snapshot':
            metrics.receive(worker, message.id, message.snapshot);
            break;
        }
      });
      worker.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        workers.delete(worker);
        listening.delete(worker);
        metrics.forget(worker);
        const how = signal === null ? `code ${code}` : `signal ${signal}`;
        reject(new Error(`a worker exited (${how}) before it listened`));
        if (started && stopping === undefined) replace(worker, how);
        if (workers.size === 0) onAllExited?.();
      });
    });
    return { worker, listening: listeningAt };
  }

  function replace(worker: Worker, how: string): void {
    const now = Date.now();
    recentExits.push(now);
    while (recentExits[0] <= now - CRASH_WINDOW_MS) recentExits.shift();
    if (recentExits.length > MAX_CRASHES) {
      const error = new TypedlearnError(
        `the workers keep exiting (${recentExits.length} times within ${CRASH_WINDOW_MS / 1000} s, ` +
          `the last with ${how}; see the errors above): stopping rather than restarting them in a loop`,
      );
      void close().then(() => fail(error));
      return;
    }
    const next = fork();
    next.listening.catch(() => undefined); // if it fails, its exit is handled as this one's was
    process.stderr.write(
      `typedlearn serve: worker ${worker.process.pid} exited unexpectedly (${how}); ` +
        `started worker ${next.worker.process.pid} in its place\n`,
    );
  }

  function close(): Promise<void> {
    stopping ??= new Promise<void>((resolve) => {
      if (workers.size === 0) return resolve();
      onAllExited = resolve;
      for (const worker of workers) {
        if (listening.has(worker)) tellWorker(worker, { type: 'typedlearn:stop' });
        else worker.process.kill('SIGKILL'); // still starting: it has nothing in flight
      }
    });
    return stopping;
  }

  let url: string;
  try {
    [url] = await Promise.all(Array.from({ length: count }, () => fork().listening));
  } catch (error) {
    await close();
    throw error;
  }
  started = true;
  return {
    url,
    close,
    cutOff: () => {
      for (const worker of listening) tellWorker(worker, { type: 'typedlearn:cut-off' });
    },
    failed,
  };
}
