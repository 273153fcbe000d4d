import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/** Request headers a page from another origin may send to the API. */
const ALLOWED_HEADERS = 'Content-Type, X-Request-Id';
/** How long a browser may cache a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * Which other origins' pages may call the API (`--cors`), following the Fetch standard's CORS
 * protocol: responses to an allowed `Origin` carry `Access-Control-Allow-Origin`, and a
 * preflight `OPTIONS` is answered with the methods and headers allowed.
 */
export class CorsPolicy {
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;

  /** `origins`: exact origins such as `https://example.com`, or `*` for any. */
  constructor(origins: readonly string[]) {
    this.anyOrigin = origins.includes('*');
    this.origins = new Set(origins);
  }

  /** The paths CORS applies to: the API and the model files, not the drawing page. */
  static covers(path: string): boolean {
    return path.startsWith('/api/') || path.startsWith('/models/') || path === '/model.safetensors';
  }

  /**
   * Adds `Access-Control-Allow-Origin` to `res` when the request comes from an allowed origin
   * (and `Vary: Origin` when the answer depends on it).
   */
  allow(req: IncomingMessage, res: ServerResponse): void {
    if (!this.anyOrigin) res.setHeader('Vary', 'Origin');
    const allowed = this.allowedOrigin(req);
    if (allowed === undefined) return;
    res.setHeader('Access-Control-Allow-Origin', allowed);
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
  }

  /**
   * Answers a preflight `OPTIONS` for a path that answers `methods`: 204 with the allowed
   * methods, headers and cache time (after {@link allow} set the origin); a 403 for an origin
   * that is not allowed.
   */
  preflight(req: IncomingMessage, res: ServerResponse, methods: readonly string[]): void {
    if (this.allowedOrigin(req) === undefined) {
      throw new HttpError(
        403,
        `pages from ${req.headers.origin ?? 'no origin'} may not call this API; ` +
          `this server allows ${[...this.origins].join(', ')} (see --cors)`,
      );
    }
    res.writeHead(204, {
      'Access-Control-Allow-Methods': methods.join(', '),
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE,
    });
    res.end();
  }

  /** The `Access-Control-Allow-Origin` value for the request's `Origin`; undefined when not allowed. */
  private allowedOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    if (this.anyOrigin) return '*';
    return this.origins.has(origin) ? origin : undefined;
  }
}
