// CORS (`--cors`): pages from the allowed origins may call the API; without it the server
// sends no CORS headers and a preflight is a 405, as for any method a path does not answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDigitServer, type DigitServer, type ErrorBody } from '@typedlearn/cli/serve';
import { saveDigitModel, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { send } from './helpers/serve-http.js';

let saved: SavedDigitModel;
const ALLOWED = 'https://digits.example';

beforeAll(async () => {
  saved = await saveDigitModel(300, 3);
});
afterAll(() => saved?.remove());

async function withServer(
  corsOrigins: string[] | undefined,
  test: (server: DigitServer) => Promise<void>,
): Promise<void> {
  const server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    port: 0,
    corsOrigins,
    webDemo: new Map([
      ['/', { contentType: 'text/html; charset=utf-8', body: Buffer.from('<p>') }],
    ]),
  });
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

/** A browser's preflight before it POSTs a PNG from `origin`. */
function preflight(url: string, origin: string) {
  return send(url, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  });
}

describe('with --cors', () => {
  it('answers the preflight of an allowed origin, and marks its API responses', () =>
    withServer([ALLOWED, 'http://localhost:3000'], async ({ url }) => {
      const answer = await preflight(`${url}api/predict`, ALLOWED);
      expect(answer.status).toBe(204);
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': ALLOWED,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'Content-Type, X-Request-Id',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      expect(answer.body.length).toBe(0);

      for (const path of ['api/health', 'api/models', 'models/forest']) {
        const reply = await send(`${url}${path}`, { headers: { Origin: ALLOWED } });
        expect(reply.status).toBe(200);
        expect(reply.headers['access-control-allow-origin']).toBe(ALLOWED);
        expect(reply.headers['access-control-expose-headers']).toBe('X-Request-Id');
      }
      // The drawing page is not part of the API.
      const page = await send(url, { headers: { Origin: ALLOWED } });
      expect(page.headers['access-control-allow-origin']).toBeUndefined();
    }));

  it('refuses the preflight of another origin with a 403 naming the allowed ones', () =>
    withServer([ALLOWED], async ({ url }) => {
      const answer = await preflight(`${url}api/predict`, 'https://elsewhere.example');
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.json<ErrorBody>().message).toBe(
        `pages from https://elsewhere.example may not call this API; this server allows ${ALLOWED} (see --cors)`,
      );
      const reply = await send(`${url}api/health`, {
        headers: { Origin: 'https://elsewhere.example' },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }));

  it('allows any origin with *', () =>
    withServer(['*'], async ({ url }) => {
      const answer = await preflight(`${url}api/predict`, 'https://anywhere.example');
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers.vary).toBeUndefined();
    }));
});

describe('without --cors', () => {
  it('sends no CORS headers, and a preflight is a 405', () =>
    withServer(undefined, async ({ url }) => {
      const answer = await preflight(`${url}api/predict`, ALLOWED);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('POST');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      const reply = await send(`${url}api/health`, { headers: { Origin: ALLOWED } });
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }));
});
