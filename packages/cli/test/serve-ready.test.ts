// Readiness and health: `GET /api/ready` turns 503 as soon as the server starts shutting down
// (a load balancer then sends no more work), while `GET /api/health` says the process is alive.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDigitServer, type ErrorBody } from '@typedlearn/cli/serve';
import { saveDigitModel, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { parseRawResponse, rawExchange, send } from './helpers/serve-http.js';

let saved: SavedDigitModel;

beforeAll(async () => {
  saved = await saveDigitModel(300, 3);
});
afterAll(() => saved?.remove());

it('is ready until close(); then ready is a 503 while health stays 200', async () => {
  const server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    port: 0,
  });
  const ready = await send(`${server.url}api/ready`);
  expect(ready.status).toBe(200);
  expect(ready.json()).toEqual({ status: 'ready', models: ['forest'] });

  // Two requests whose headers are still arriving when the server is told to close: it
  // answers them (and then closes their connections).
  const port = Number(new URL(server.url).port);
  const exchange = (path: string) =>
    rawExchange(port, [`GET ${path} HTTP/1.1\r\nHost: x\r\n`, '\r\n'], 300);
  const whileClosing = Promise.all([exchange('/api/ready'), exchange('/api/health')]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closed = server.close();
  const [readyRaw, healthRaw] = await whileClosing;
  await closed;

  const notReady = parseRawResponse(readyRaw);
  expect(notReady.status).toBe(503);
  expect(notReady.body as unknown as ErrorBody).toEqual({
    status: 503,
    error: 'Service Unavailable',
    message: 'the server is shutting down: it answers the requests in flight, but no new ones',
  });
  expect(readyRaw).toMatch(/\r\nConnection: close\r\n/i);
  const health = parseRawResponse(healthRaw);
  expect(health.status).toBe(200);
  expect(health.body).toEqual({ status: 'ok', model: 'forest' });
});
