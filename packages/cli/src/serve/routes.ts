import type { IncomingMessage, ServerResponse } from 'node:http';
import { prometheusContentType } from 'prom-client';
import { HttpError, sendJson } from './http-error.js';
import {
  PREDICT_MEDIA_TYPES,
  readPredictRequest,
  type PredictMediaType,
} from './predict-request.js';
import { readBody } from './request-body.js';
import type { ModelListing, ServedModel, ServedModels } from './served-models.js';
import type { WebDemo } from './web-demo.js';

/** Answers one request; throws an {@link HttpError} to refuse it. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The handlers of a server, by path and then by method. */
export type Routes = ReadonlyMap<string, Readonly<Record<string, Handler>>>;

/** What the digit server's routes serve. */
export interface DigitRoutesOptions {
  models: ServedModels;
  webDemo: WebDemo;
  bodyLimit: number;
  maxImagePixels: number;
  /** False once the server is shutting down. */
  isReady: () => boolean;
  /** The Prometheus text of `GET /metrics`. */
  metricsText: () => Promise<string>;
}

/**
 * The page may load its own script, styles and model and nothing else: no inline script, no
 * framing. It needs `'unsafe-eval'`: ndarray-ops, which the tensor core uses for strided
 * element-wise work, compiles its kernels with `new Function` as soon as it is loaded.
 */
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval'; img-src 'self' data:; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};

/**
 * The digit server's routes: `POST /api/predict`, `GET /api/health`, `GET /api/ready`,
 * `GET /api/model`, `GET /api/models`, `GET /metrics`, the model files (`GET /models/NAME`,
 * and `GET /model.safetensors` for the default model), and the drawing page's files.
 * `?model=NAME` picks the model of `/api/predict` and `/api/model`.
 */
export function digitRoutes(options: DigitRoutesOptions): Routes {
  const { models, bodyLimit, maxImagePixels } = options;
  const routes = new Map<string, Record<string, Handler>>([
    [
      '/api/health',
      {
        GET: (_req, res) =>
          sendJson(res, 200, { status: 'ok', model: models.default.summary.type }),
      },
    ],
    ['/api/ready', { GET: ready }],
    ['/api/model', { GET: (req, res) => sendJson(res, 200, models.requested(req).summary) }],
    ['/api/models', { GET: (_req, res) => sendJson(res, 200, { models: models.all.map(listed) }) }],
    ['/api/predict', { POST: predict }],
    ['/metrics', { GET: metrics }],
    ['/model.safetensors', { GET: (_req, res) => sendModelFile(res, models.default) }],
  ]);
  for (const model of models.all) {
    routes.set(modelFilePath(model), { GET: (_req, res) => sendModelFile(res, model) });
  }
  for (const [path, asset] of options.webDemo) {
    const headers = asset.contentType.startsWith('text/html') ? PAGE_HEADERS : {};
    routes.set(path, {
      GET: (_req, res) => sendBytes(res, asset.contentType, asset.body, headers),
    });
  }

  async function predict(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { predictor } = models.requested(req);
    const mediaType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
    if (!PREDICT_MEDIA_TYPES.includes(mediaType as PredictMediaType)) {
      throw new HttpError(
        415,
        `Content-Type must be ${PREDICT_MEDIA_TYPES.join(', ')}; got ${mediaType ?? 'none'}`,
      );
    }
    const body = await readBody(req, bodyLimit);
    const request = readPredictRequest(mediaType as PredictMediaType, body, maxImagePixels);
    const predictions = predictor.predict(request.images);
    const { classes } = predictor;
    sendJson(res, 200, request.batch ? { classes, predictions } : { ...predictions[0], classes });
  }

  function ready(_req: IncomingMessage, res: ServerResponse): void {
    if (!options.isReady()) {
      throw new HttpError(
        503,
        'the server is shutting down: it answers the requests in flight, but no new ones',
      );
    }
    sendJson(res, 200, { status: 'ready', models: models.all.map((model) => model.name) });
  }

  async function metrics(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await options.metricsText();
    res.writeHead(200, {
      'Content-Type': prometheusContentType,
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(text);
  }

  function listed(model: ServedModel): ModelListing {
    const { name, summary } = model;
    return {
      name,
      type: summary.type,
      default: model === models.default,
      file: modelFilePath(model),
      summary,
    };
  }

  return routes;
}

/** Where a model's file is served: `/models/NAME`. */
function modelFilePath(model: ServedModel): string {
  return `/models/${encodeURIComponent(model.name)}`;
}

/** Sends a model's file, as a download named like the original. */
function sendModelFile(res: ServerResponse, model: ServedModel): void {
  sendBytes(res, 'application/octet-stream', model.bytes, {
    'Content-Disposition': `attachment; filename="${model.fileName.replace(/["\\\r\n]/g, '_')}"`,
  });
}

/**
 * The handler for `method` on `path` (HEAD is answered as GET, without a body): a 404 for a
 * path without handlers, a 405 with `Allow` for a method the path does not answer.
 */
export function findHandler(routes: Routes, method: string, path: string): Handler {
  const route = routes.get(path);
  if (route === undefined) {
    throw new HttpError(
      404,
      `nothing at ${path}: this server answers POST /api/predict, GET /api/health, GET /api/ready, ` +
        'GET /api/model, GET /api/models, GET /metrics, GET /models/NAME, GET /model.safetensors ' +
        'and the drawing page at GET /',
    );
  }
  const key = method === 'HEAD' ? 'GET' : method;
  const handler = Object.hasOwn(route, key) ? route[key] : undefined;
  if (handler === undefined) {
    const allow = Object.keys(route).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    throw new HttpError(405, `${path} answers ${allow.join(', ')}, not ${method}`, {
      Allow: allow.join(', '),
    });
  }
  return handler;
}

function sendBytes(
  res: ServerResponse,
  contentType: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': body.length,
    'Cache-Control': 'no-cache',
  });
  res.end(body);
}
