// The access log of `typedlearn serve`: one JSON line per request on stdout, with the request
// id that the response's `X-Request-Id` carries (the client's own when it sent a sane one).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { postJson, send } from './helpers/serve-http.js';
import { startServe } from './helpers/serve-process.js';

let saved: SavedDigitModel;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  saved = await saveDigitModel(300, 3);
});
afterAll(() => saved?.remove());

it.concurrent('logs each request as a JSON line, under the id its response carries', async () => {
  const serve = await startServe(['--model', saved.path, '--workers', '1']);
  try {
    const traced = await send(`${serve.url}api/health`, {
      headers: { 'X-Request-Id': 'edge-7f3a:42' },
    });
    expect(traced.headers['x-request-id']).toBe('edge-7f3a:42');
    const odd = await send(`${serve.url}no/such/page?x=1`, {
      headers: { 'X-Request-Id': 'not a sane id' },
    });
    expect(odd.headers['x-request-id']).toMatch(UUID);
    const predicted = await postJson(`${serve.url}api/predict`, {
      pixels: Array.from(testDigits(1).pixels[0]),
    });
    expect(predicted.headers['x-request-id']).toMatch(UUID);

    const log = await serve.accessLogLines(3);
    expect(log).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        requestId: 'edge-7f3a:42',
        method: 'GET',
        path: '/api/health',
        status: 200,
        bytes: traced.body.length,
        ms: expect.any(Number),
        worker: serve.child.pid,
      },
      expect.objectContaining({
        requestId: odd.headers['x-request-id'],
        method: 'GET',
        path: '/no/such/page',
        status: 404,
        bytes: odd.body.length,
      }),
      expect.objectContaining({
        requestId: predicted.headers['x-request-id'],
        method: 'POST',
        path: '/api/predict',
        status: 200,
        bytes: predicted.body.length,
      }),
    ]);
    expect(log.every((entry) => entry.ms >= 0 && entry.ms < 10_000)).toBe(true);
    expect(Date.parse(log[0].time)).toBeLessThanOrEqual(Date.parse(log[2].time));
  } finally {
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  }
});

it.concurrent('writes no access log with --no-access-log', async () => {
  const serve = await startServe(['--model', saved.path, '--workers', '1', '--no-access-log']);
  try {
    expect((await send(`${serve.url}api/health`)).status).toBe(200);
  } finally {
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  }
  expect(serve.accessLog()).toEqual([]);
  expect(serve.stdout()).toMatch(/^serving the forest model /);
});
