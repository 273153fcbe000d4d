import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DigitPredictor } from './digit-predictor.js';
import { HttpError, sendJson } from './http-error.js';
import { summarizeModel } from './model-summary.js';
import {
  PREDICT_MEDIA_TYPES,
  readPredictRequest,
  type PredictMediaType,
} from './predict-request.js';
import { readBody } from './request-body.js';
import type { WebDemo } from './web-demo.js';

/** Answers one request; throws an {@link HttpError} to refuse it. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The handlers of a server, by path and then by method. */
export type Routes = ReadonlyMap<string, Readonly<Record<string, Handler>>>;

/** What the digit server's routes serve. */
export interface DigitRoutesOptions {
  predictor: DigitPredictor;
  modelBytes: Uint8Array;
  modelName: string;
  webDemo: WebDemo;
  bodyLimit: number;
  maxImagePixels: number;
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
 * The digit server's routes: `POST /api/predict`, `GET /api/health`, `GET /api/model`,
 * `GET /model.safetensors`, and the drawing page's files.
 */
export function digitRoutes(options: DigitRoutesOptions): Routes {
  const { predictor, modelBytes, modelName, bodyLimit, maxImagePixels } = options;
  const summary = summarizeModel(predictor, modelName, modelBytes.length);
  const routes = new Map<string, Record<string, Handler>>([
    [
      '/api/health',
      { GET: (_req, res) => sendJson(res, 200, { status: 'ok', model: summary.type }) },
    ],
    ['/api/model', { GET: (_req, res) => sendJson(res, 200, summary) }],
    ['/api/predict', { POST: predict }],
    [
      '/model.safetensors',
      {
        GET: (_req, res) =>
          sendBytes(res, 'application/octet-stream', modelBytes, {
            'Content-Disposition': `attachment; filename="${modelName.replace(/["\\\r\n]/g, '_')}"`,
          }),
      },
    ],
  ]);
  for (const [path, asset] of options.webDemo) {
    const headers = asset.contentType.startsWith('text/html') ? PAGE_HEADERS : {};
    routes.set(path, {
      GET: (_req, res) => sendBytes(res, asset.contentType, asset.body, headers),
    });
  }

  async function predict(req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  return routes;
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
      `nothing at ${path}: this server answers POST /api/predict, GET /api/health, ` +
        'GET /api/model, GET /model.safetensors and the drawing page at GET /',
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
