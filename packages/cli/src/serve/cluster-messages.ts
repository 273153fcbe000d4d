import type { Worker } from 'node:cluster';
import type { Registry } from 'prom-client';
import type { DigitServerOptions } from './server.js';

/**
 * What a worker of `typedlearn serve --workers N` gets from the primary: the options of
 * `startDigitServer`, all plain data (model bytes, the page's files, limits).
 */
export type WorkerSettings = Omit<DigitServerOptions, 'metricsText'>;

/** One worker's metrics, as prom-client's `getMetricsAsJSON` gives them. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Messages from a worker to the primary, over the cluster's IPC channel. */
export type WorkerMessage =
  /** The worker is listening for its settings. */
  | { type: 'typedlearn:waiting' }
  | { type: 'typedlearn:listening'; url: string }
  /** It could not start (it exits next); `code` is the system error's, as EADDRINUSE. */
  | { type: 'typedlearn:failed'; message: string; code?: string }
  /** It was asked for `GET /metrics`: it needs the sum over every worker. */
  | { type: 'typedlearn:metrics-sum-request'; id: number }
  | { type: 'typedlearn:metrics-snapshot'; id: number; snapshot: MetricsSnapshot };

/** Messages from the primary to a worker. */
export type PrimaryMessage =
  | { type: 'typedlearn:start'; settings: WorkerSettings }
  /** Stop gracefully: answer the requests in flight, then exit with 0. */
  | { type: 'typedlearn:stop' }
  /** Cut the connections still open (a second Ctrl-C). */
  | { type: 'typedlearn:cut-off' }
  | { type: 'typedlearn:metrics-snapshot-request'; id: number }
  /** The answer to a `metrics-sum-request`: the text, or why there is none. */
  | { type: 'typedlearn:metrics-sum'; id: number; text?: string; error?: string };

/** True for the messages above (the channel also carries Node's and other libraries' own). */
export function isTypedlearnMessage(message: unknown): boolean {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('typedlearn:');
}

/**
 * Sends `message` to `worker` unless its channel has closed; a send that fails is dropped, as
 * the worker is then exiting and its exit is handled where it is observed.
 */
export function tellWorker(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message, () => undefined);
}

/** Sends `message` to the primary; `then` runs once it is handed to the channel. */
export function tellPrimary(message: WorkerMessage, then: () => void = () => undefined): void {
  process.send?.(message, undefined, undefined, then);
}
