// `GET /metrics`: request counts, latencies and the served models in Prometheus's text
// format, from one process and summed over the workers of `typedlearn serve --workers 2`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDigitServer } from '@typedlearn/cli/serve';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { postJson, send } from './helpers/serve-http.js';
import { startServe } from './helpers/serve-process.js';

let saved: SavedDigitModel;
const digit = { pixels: Array.from(testDigits(1).pixels[0]) };

beforeAll(async () => {
  saved = await saveDigitModel(300, 3);
});
afterAll(() => saved?.remove());

/** The value of the sample `name{labels}` in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...match[2].matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

const PREDICTED = { route: '/api/predict', method: 'POST', status: '200' };

it('counts requests by route, method and status, with their latency, and names the model', async () => {
  const server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    port: 0,
  });
  try {
    for (let i = 0; i < 3; i++)
      expect((await postJson(`${server.url}api/predict`, digit)).status).toBe(200);
    expect((await send(`${server.url}no/such/page`)).status).toBe(404);
    expect((await send(`${server.url}favicon.ico?v=2`)).status).toBe(404);
    expect((await send(`${server.url}api/predict`)).status).toBe(405);

    const reply = await send(`${server.url}metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = reply.body.toString();
    expect(sample(text, 'typedlearn_http_requests_total', PREDICTED)).toBe(3);
    // Paths no route answers make one series, whatever the URL.
    expect(
      sample(text, 'typedlearn_http_requests_total', {
        route: 'unknown',
        method: 'GET',
        status: '404',
      }),
    ).toBe(2);
    expect(
      sample(text, 'typedlearn_http_requests_total', {
        route: '/api/predict',
        method: 'GET',
        status: '405',
      }),
    ).toBe(1);
    expect(sample(text, 'typedlearn_http_request_duration_seconds_count', PREDICTED)).toBe(3);
    for (const le of ['0.001', '0.01', '0.1', '1', '5', '+Inf']) {
      expect(
        sample(text, 'typedlearn_http_request_duration_seconds_bucket', { ...PREDICTED, le }),
      ).toBeLessThanOrEqual(3);
    }
    expect(
      sample(text, 'typedlearn_http_request_duration_seconds_bucket', { ...PREDICTED, le: '+Inf' }),
    ).toBe(3);
    expect(sample(text, 'typedlearn_model_info', { model: 'forest', type: 'forest' })).toBe(1);
  } finally {
    await server.close();
  }
});

it('sums the counts of every worker, whichever worker answers /metrics', async () => {
  const serve = await startServe(['--model', saved.path, '--workers', '2']);
  try {
    const requests = 12;
    for (let i = 0; i < requests; i++) {
      expect((await postJson(`${serve.url}api/predict`, digit)).status).toBe(200);
    }
    const log = await serve.accessLogLines(requests);
    expect(new Set(log.map((entry) => entry.worker)).size).toBe(2);

    // Two scrapes, on new connections: each worker answers one.
    for (let scrape = 0; scrape < 2; scrape++) {
      const text = (await send(`${serve.url}metrics`)).body.toString();
      expect(sample(text, 'typedlearn_http_requests_total', PREDICTED)).toBe(requests);
      expect(sample(text, 'typedlearn_http_request_duration_seconds_count', PREDICTED)).toBe(
        requests,
      );
      // Each worker serves the model: it is listed once, not once per worker.
      expect(sample(text, 'typedlearn_model_info', { model: 'forest', type: 'forest' })).toBe(1);
    }
    const scrapes = (await serve.accessLogLines(requests + 2)).slice(requests);
    expect(new Set(scrapes.map((entry) => entry.worker)).size).toBe(2);
  } finally {
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  }
}, 60_000);
