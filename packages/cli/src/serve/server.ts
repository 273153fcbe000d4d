import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { requestIdOf, writeAccessLog } from './access-log.js';
import { CorsPolicy } from './cors.js';
import type { DigitPredictor } from './digit-predictor.js';
import { errorBody, HttpError, sendError } from './http-error.js';
import { ClientGoneError } from './request-body.js';
import { digitRoutes, findHandler } from './routes.js';
import { ServedModels, type ModelFileBytes } from './served-models.js';
import { ServerMetrics, UNKNOWN_ROUTE } from './server-metrics.js';
import type { WebDemo } from './web-demo.js';

/** Options of {@link startDigitServer}. */
export interface DigitServerOptions {
  /** The model file's bytes: restored for `POST /api/predict`, served as `/model.safetensors`. */
  modelBytes: Uint8Array;
  /** The model file's name, reported by `GET /api/model`; without its extension, the model's name. */
  modelName: string;
  /** More models, each picked with `?model=NAME` (NAME: its file name without the extension). */
  moreModels?: readonly ModelFileBytes[];
  /** The drawing page's files (see `loadWebDemo`). Default: none, and `GET /` is a 404. */
  webDemo?: WebDemo;
  /** Interface to listen on. Default `'127.0.0.1'` (this machine only). */
  host?: string;
  /** Port to listen on; 0 picks a free one. Default 8080. */
  port?: number;
  /** Largest request body in bytes; larger ones get a 413. Default 1 MiB (1048576). */
  bodyLimit?: number;
  /** Most pixels decoded for one request (all its pictures together). Default 16 million. */
  maxImagePixels?: number;
  /** Time for a whole request (headers and body) to arrive, in ms; then a 408. Default 30000. */
  requestTimeoutMs?: number;
  /** Time for the request headers to arrive, in ms; then a 408. Default 10000. */
  headersTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open, in ms. Default 5000. */
  keepAliveTimeoutMs?: number;
  /** On {@link DigitServer.close}, how long in-flight requests may take before their connections are cut, in ms. Default 10000. */
  shutdownTimeoutMs?: number;
  /** Writes one JSON line per request to stdout (see `AccessLogEntry`). Default false. */
  accessLog?: boolean;
  /** Origins whose pages may call the API, `'*'` for any. Default none: no CORS headers, and `OPTIONS` is a 405. */
  corsOrigins?: readonly string[];
  /** The text of `GET /metrics`. Default: this server's own metrics (a cluster worker asks for every worker's sum). */
  metricsText?: () => Promise<string>;
}

/** A running digit server. */
export interface DigitServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** The default model. */
  readonly predictor: DigitPredictor;
  /** Every served model. */
  readonly models: ServedModels;
  /** This server's request counts, latencies and model info. */
  readonly metrics: ServerMetrics;
  /** The underlying Node server. */
  readonly server: Server;
  /**
   * Stops gracefully: no new connections, idle ones closed, requests in flight finished and
   * answered with `Connection: close`; resolves when every connection is closed (after at
   * most `shutdownTimeoutMs`, when the stragglers are cut). Calling it again is harmless.
   */
  close(): Promise<void>;
}

/**
 * Serves a digit model over HTTP (node:http, no framework):
 *
 * - `POST /api/predict`: a PNG or JPEG body (`image/png`, `image/jpeg`), or JSON
 *   `{ "pixels": [784 numbers] }`, `{ "image": "<base64 PNG or JPEG>" }`, or a batch
 *   `{ "images": [ ...either... ] }`; answers `{ "label", "probabilities", "scores",
 *   "classes" }` (the two arrays in the order of `classes`; `probabilities` is null for a model
 *   without calibrated probabilities, `scores` null for one with them; see `ImagePrediction`),
 *   or `{ "classes", "predictions": [...] }` for a batch;
 * - `GET /api/health`: `{ "status": "ok", "model": type }` while the process runs;
 * - `GET /api/ready`: `{ "status": "ready", "models": [names] }`, or a 503 once it is closing;
 * - `GET /api/model`: a `ModelSummary` (of `?model=NAME`, else the default model);
 * - `GET /api/models`: `{ "models": [{ "name", "type", "default", "file", "summary" }] }`;
 * - `GET /metrics`: request counts, latencies and the models, in Prometheus's text format;
 * - `GET /models/NAME`, and `GET /model.safetensors` for the default: the model files;
 * - `GET /` (and its assets): the drawing page.
 *
 * Every error is JSON `{ "status", "error", "message" }`: 400 malformed input, 403 a CORS
 * preflight from an origin not allowed, 404 unknown path or model, 405 wrong method (with
 * `Allow`), 408 request too slow, 413 body or picture too large (the body stops being read),
 * 415 unsupported Content-Type, 500 a bug (logged; the server keeps serving), 503 not ready.
 * Every response carries an `X-Request-Id` (the request's own when it sent a sane one). An
 * invalid model file is refused before listening, with a `FormatError`.
 */
export async function startDigitServer(options: DigitServerOptions): Promise<DigitServer> {
  const models = new ServedModels([
    { fileName: options.modelName, bytes: options.modelBytes },
    ...(options.moreModels ?? []),
  ]);
  const bodyLimit = options.bodyLimit ?? 2 ** 20;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? 10_000, requestTimeout);
  const metrics = new ServerMetrics(
    models.all.map(({ name, summary }) => ({ name, type: summary.type })),
  );
  const cors = options.corsOrigins?.length ? new CorsPolicy(options.corsOrigins) : undefined;

  const routes = digitRoutes({
    models,
    webDemo: options.webDemo ?? new Map(),
    bodyLimit,
    maxImagePixels: options.maxImagePixels ?? 16e6,
    isReady: () => closing === undefined,
    metricsText: options.metricsText ?? (() => metrics.registry.metrics()),
  });

  /** The response of each request being handled, by connection. */
  const inFlight = new Map<Socket, ServerResponse>();
  let closing: Promise<void> | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const socket = req.socket;
    const path = (req.url ?? '/').split('?')[0];
    const requestId = requestIdOf(req);
    inFlight.set(socket, res);
    res.once('close', () => {
      if (inFlight.get(socket) === res) inFlight.delete(socket);
      // Once the last request in flight is answered, its keep-alive connection is idle.
      if (closing !== undefined) server.closeIdleConnections();
      recordAnswer(req, res, path, requestId, performance.now() - arrived);
    });
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Request-Id', requestId);
    if (closing !== undefined) res.setHeader('Connection', 'close');
    try {
      const method = req.method ?? '';
      const route = routes.get(path);
      if (cors !== undefined && CorsPolicy.covers(path)) {
        cors.allow(req, res);
        if (method === 'OPTIONS' && route !== undefined) {
          cors.preflight(req, res, Object.keys(route));
          return;
        }
      }
      await findHandler(routes, method, path)(req, res);
    } catch (error) {
      if (error instanceof ClientGoneError) return; // nobody is left to answer
      if (error instanceof HttpError) {
        // After a 413 the rest of the body stays unread: the connection must end.
        if (error.status === 413) res.setHeader('Connection', 'close');
        sendError(res, error);
        return;
      }
      process.stderr.write(
        `typedlearn serve: ${req.method} ${req.url} failed: ${String((error as Error)?.stack ?? error)}\n`,
      );
      sendError(
        res,
        new HttpError(500, `the server failed on this request: ${(error as Error)?.message}`),
      );
    }
  }

  /** Counts the answer in the metrics and, with `accessLog`, logs it. */
  function recordAnswer(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    requestId: string,
    ms: number,
  ): void {
    const method = req.method ?? '';
    // A response cut off before its end (the client left, or a shutdown cut it) is a 499,
    // nginx's "client closed request".
    const status = res.writableFinished ? res.statusCode : 499;
    metrics.record(routes.has(path) ? path : UNKNOWN_ROUTE, method, status, ms / 1000);
    if (options.accessLog !== true) return;
    const sentBody = res.writableFinished && method !== 'HEAD';
    writeAccessLog({
      time: new Date(Date.now() - ms).toISOString(),
      requestId,
      method,
      path,
      status,
      bytes: sentBody ? Number(res.getHeader('Content-Length') ?? 0) : 0,
      ms: Math.round(ms * 1000) / 1000,
      worker: process.pid,
    });
  }

  const server = createServer({
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // How often Node checks the two timeouts above (its default, 30 s, would let a short
    // timeout overrun by that much).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, headersTimeout / 4)),
  });
  server.on('request', (req, res) => void handle(req, res));
  // `Expect: 100-continue`: an announced body over the limit is refused before it is sent.
  server.on('checkContinue', (req, res) => {
    if (!(Number(req.headers['content-length']) > bodyLimit)) res.writeContinue();
    void handle(req, res);
  });
  // Requests Node refuses before they reach a handler (timeouts, malformed HTTP) get a JSON
  // answer too, as Node's own default handler would give a bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? 431
          : 400;
    const message =
      status === 408
        ? `the request did not arrive in time: headers must arrive within ${headersTimeout} ms and the whole request within ${requestTimeout} ms`
        : status === 431
          ? 'the request headers are too large'
          : `malformed HTTP request (${error.code ?? error.message})`;
    const res = inFlight.get(socket);
    if (res !== undefined && !res.headersSent) {
      res.setHeader('Connection', 'close');
      sendError(res, new HttpError(status, message));
    } else if (res === undefined && socket.writable && error.code !== 'ECONNRESET') {
      socket.end(rawJsonResponse(status, message), () => socket.destroy());
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/`,
    predictor: models.default.predictor,
    models,
    metrics,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const res of inFlight.values()) {
          if (!res.headersSent) res.setHeader('Connection', 'close');
        }
        const cut = setTimeout(
          () => server.closeAllConnections(),
          options.shutdownTimeoutMs ?? 10_000,
        );
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** A whole HTTP/1.1 response with a JSON error body, for a socket without a response object. */
function rawJsonResponse(status: number, message: string): string {
  const error = errorBody(status, message);
  const body = JSON.stringify(error);
  return (
    `HTTP/1.1 ${status} ${error.error}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}
