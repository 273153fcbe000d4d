import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The request ended before its body did (the client went away, or a timeout closed it). */
export class ClientGoneError extends Error {
  override name = 'ClientGoneError';
}

/**
 * Reads the whole request body, refusing more than `limit` bytes with a 413 without reading
 * the rest: a `Content-Length` above the limit is refused before a single body byte is read,
 * and a body that streams past the limit (chunked, or lying about its length) stops being
 * read at the first byte too many. The caller then answers with `Connection: close`, so
 * the unread remainder is never consumed. Rejects with {@link ClientGoneError} when the
 * request is aborted.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit, `${declared} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error?: Error): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks, received));
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        req.pause();
        finish(tooLarge(limit, `more than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const onClose = (): void => finish(new ClientGoneError('the request was aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

function tooLarge(limit: number, size: string): HttpError {
  return new HttpError(
    413,
    `the request body is ${size}; this server accepts at most ${limit} bytes (see --body-limit)`,
  );
}
