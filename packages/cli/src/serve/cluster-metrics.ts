import type { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { HttpError } from './http-error.js';
import {
  tellPrimary,
  tellWorker,
  type MetricsSnapshot,
  type PrimaryMessage,
} from './cluster-messages.js';

/** How long a sum over the workers may take before `GET /metrics` gives up, in ms. */
const METRICS_TIMEOUT_MS = 5_000;

/** One sum being gathered: the workers yet to answer and the snapshots received. */
interface Round {
  waiting: Set<Worker>;
  snapshots: MetricsSnapshot[];
  resolve(text: string | Promise<string>): void;
  timer: NodeJS.Timeout;
}

/**
 * In the primary: the metrics of every worker summed, for the worker that was asked for
 * `GET /metrics`. Each listening worker sends a snapshot of its registry; prom-client's
 * `AggregatorRegistry.aggregate` adds them up (counters and histograms summed, the model info
 * gauge taken once). A worker that exits meanwhile is left out; its counts die with it.
 */
export class ClusterMetricsSum {
  private nextId = 0;
  private readonly rounds = new Map<number, Round>();

  /** The Prometheus text of the sum over `workers`. */
  sum(workers: Iterable<Worker>): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.rounds.delete(id);
        reject(new Error(`some workers sent no metrics within ${METRICS_TIMEOUT_MS} ms`));
      }, METRICS_TIMEOUT_MS);
      const round: Round = { waiting: new Set(workers), snapshots: [], resolve, timer };
      this.rounds.set(id, round);
      for (const worker of round.waiting) {
        tellWorker(worker, { type: 'typedlearn:metrics-snapshot-request', id });
      }
      this.finishIfComplete(id, round);
    });
  }

  /** Takes `worker`'s snapshot for the sum `id`. */
  receive(worker: Worker, id: number, snapshot: MetricsSnapshot): void {
    const round = this.rounds.get(id);
    if (round === undefined || !round.waiting.delete(worker)) return;
    round.snapshots.push(snapshot);
    this.finishIfComplete(id, round);
  }

  /** Stops waiting for `worker`, which has exited. */
  forget(worker: Worker): void {
    for (const [id, round] of this.rounds) {
      if (round.waiting.delete(worker)) this.finishIfComplete(id, round);
    }
  }

  private finishIfComplete(id: number, round: Round): void {
    if (round.waiting.size > 0) return;
    clearTimeout(round.timer);
    this.rounds.delete(id);
    round.resolve(AggregatorRegistry.aggregate(round.snapshots).metrics());
  }
}

/** In a worker: asks the primary for the metrics summed over every worker. */
export class ClusterMetricsClient {
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve(text: string): void; reject(error: Error): void }
  >();

  /** The Prometheus text of the sum; a 503 when the primary cannot give it. */
  ask(): Promise<string> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      tellPrimary({ type: 'typedlearn:metrics-sum-request', id });
    });
  }

  /** Settles the request the primary's answer is for. */
  settle(answer: Extract<PrimaryMessage, { type: 'typedlearn:metrics-sum' }>): void {
    const request = this.waiting.get(answer.id);
    if (request === undefined) return;
    this.waiting.delete(answer.id);
    if (answer.text !== undefined) request.resolve(answer.text);
    else
      request.reject(new HttpError(503, `the workers' metrics are not available: ${answer.error}`));
  }
}
