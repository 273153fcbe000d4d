import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Upper bounds of the latency histogram's buckets, in seconds: 1 ms to 5 s. */
export const LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** The `route` label of a path no route answers, so that stray URLs make one series. */
export const UNKNOWN_ROUTE = 'unknown';

/**
 * The digit server's Prometheus metrics, in a registry of their own (not prom-client's global
 * one): `typedlearn_http_requests_total{route,method,status}`,
 * `typedlearn_http_request_duration_seconds{route,method,status}` and
 * `typedlearn_model_info{model,type} 1` for each served model. The `route` label is the
 * route's path, or {@link UNKNOWN_ROUTE}, never the raw URL.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route' | 'method' | 'status'>;

  constructor(models: readonly { name: string; type: string }[]) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'typedlearn_http_requests_total',
      help: 'HTTP requests answered, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'typedlearn_http_request_duration_seconds',
      help: 'Time from the arrival of a request to the end of its response, in seconds',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    const info = new Gauge({
      name: 'typedlearn_model_info',
      help: 'The served models (always 1), by name and model type',
      labelNames: ['model', 'type'],
      registers,
      // Every worker serves the same models: summing over a cluster would count them N times.
      aggregator: 'first',
    });
    for (const { name, type } of models) info.set({ model: name, type }, 1);
  }

  /** Counts one answered request that took `seconds`. */
  record(route: string, method: string, status: number, seconds: number): void {
    const labels = { route, method, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
