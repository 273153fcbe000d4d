import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** One line of the access log (`typedlearn serve` writes one per request, as JSON, to stdout). */
export interface AccessLogEntry {
  /** When the request arrived, ISO 8601 in UTC. */
  time: string;
  /** The request's id, also sent back as the `X-Request-Id` response header. */
  requestId: string;
  method: string;
  /** The URL's path, without the query. */
  path: string;
  /** The response's status; 499 for a response cut off before its end (nginx's "client closed request"). */
  status: number;
  /** Bytes of the response body. */
  bytes: number;
  /** Milliseconds from the request's arrival to the end of the response. */
  ms: number;
  /** The process id of the server process (the cluster worker) that answered. */
  worker: number;
}

/** What an incoming `X-Request-Id` may be for the server to adopt it. */
const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
/** Longest path logged: a line stays under the 4 kB that a pipe writes in one piece. */
const MAX_LOGGED_PATH = 1024;

/**
 * The request's `X-Request-Id` when it is sane (1 to 128 letters, digits and `_.:@/+=-`), so
 * that a proxy's id follows the request; otherwise a new random UUID.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Writes `entry` as one JSON line to stdout. The workers of a cluster share the primary's
 * stdout, and a line written in one piece is never interleaved with another's.
 */
export function writeAccessLog(entry: AccessLogEntry): void {
  const path =
    entry.path.length > MAX_LOGGED_PATH ? `${entry.path.slice(0, MAX_LOGGED_PATH)}...` : entry.path;
  process.stdout.write(`${JSON.stringify({ ...entry, path })}\n`);
}
