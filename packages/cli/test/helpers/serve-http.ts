// HTTP clients for the `typedlearn serve` tests: whole requests through node:http, and raw
// bytes through a TCP socket for what an HTTP client library would not send.
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

/** A response, read to its end. */
export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

/** What to send. */
export interface Send {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Uint8Array;
  /** Default: a new connection for this request alone (no keep-alive races between tests). */
  agent?: Agent;
}

/** Sends one request to `url` and reads the whole response. */
export function send(url: string, { method = 'GET', headers = {}, body, agent }: Send = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(url, { method, headers, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs `value` as JSON to `url`. */
export function postJson(url: string, value: unknown, agent?: Agent): Promise<Reply> {
  return send(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(value),
    agent,
  });
}

/**
 * Sends the headers of a request and then the body in `chunkSize` pieces, one every few
 * milliseconds, up to `maxBytes`, stopping as soon as the response arrives: resolves to the
 * response and the number of body bytes that were sent.
 */
export function streamUntilAnswered(
  url: string,
  headers: Record<string, string | number>,
  chunkSize: number,
  maxBytes: number,
): Promise<{ reply: Reply; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          reply: reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)),
          bytesSent,
        });
        req.destroy();
      });
    });
    // Writing after the server closed the connection may fail; the answer is what counts.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(chunkSize, 0x20);
    const pump = (): void => {
      if (answered || bytesSent >= maxBytes) return;
      bytesSent += chunk.length;
      req.write(chunk, () => setTimeout(pump, 2));
    };
    req.flushHeaders();
    pump();
  });
}

/**
 * Writes `text` to a TCP connection to `port` on 127.0.0.1, then waits until the server
 * closes the connection, and resolves to everything it sent. `pauseMs` waits between the
 * pieces of `text` when it is an array.
 */
export function rawExchange(port: number, text: string | string[], pauseMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    const pieces = Array.isArray(text) ? [...text] : [text];
    const next = (): void => {
      const piece = pieces.shift();
      if (piece === undefined) return;
      socket.write(piece);
      setTimeout(next, pauseMs);
    };
    socket.on('connect', next);
  });
}

/** The status code and JSON body of a raw HTTP response. */
export function parseRawResponse(text: string): { status: number; body: Record<string, unknown> } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
  return { status, body };
}

function reply(status: number, headers: IncomingHttpHeaders, body: Buffer): Reply {
  return { status, headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}
