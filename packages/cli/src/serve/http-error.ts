import { STATUS_CODES, type ServerResponse } from 'node:http';

/**
 * A request the server refuses, with the HTTP status and a message that says what was wrong
 * and what was expected. Sent as JSON by {@link sendError}.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  /** The HTTP status, 4xx. */
  readonly status: number;
  /** Extra response headers, e.g. `Allow` for a 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** Sends `body` as JSON with `status` (and `headers`), unless the response was already sent. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * The JSON body of every error, e.g.
 * `{ "status": 413, "error": "Payload Too Large", "message": "the request body is ..." }`.
 */
export interface ErrorBody {
  status: number;
  /** The standard reason phrase of `status`. */
  error: string;
  /** What was wrong and what was expected. */
  message: string;
}

/** The {@link ErrorBody} for `status` and `message`. */
export function errorBody(status: number, message: string): ErrorBody {
  return { status, error: STATUS_CODES[status] ?? 'Error', message };
}

/** Sends an {@link HttpError} as JSON. */
export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, errorBody(error.status, error.message), error.headers);
}
