// A bounded load test of `typedlearn serve` on loopback: 2,000 predictions from 20 concurrent
// keep-alive clients must all succeed, and the heap must not keep what they used.
import { Agent } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDigitServer, type DigitServer } from '@typedlearn/cli/serve';
import { drawnDigitPng } from '../../../tools/pictures.js';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { send, type Send } from './helpers/serve-http.js';

const REQUESTS = 2_000;
const CLIENTS = 20;

let saved: SavedDigitModel;
let server: DigitServer;

beforeAll(async () => {
  saved = await saveDigitModel(500, 5);
  server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    port: 0,
  });
});

afterAll(async () => {
  await server?.close();
  await saved?.remove();
});

/** V8's collector, made callable (as `node --expose-gc` would), to measure live memory. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use after a full collection, in bytes. */
function liveHeap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** `total` requests from `clients` clients, each sending its next request when answered. */
async function load(total: number, clients: number, agent: Agent, requests: Send[]) {
  const statuses = new Map<number, number>();
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const reply = await send(`${server.url}api/predict`, {
        ...requests[i % requests.length],
        agent,
      });
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return statuses;
}

it(`answers ${REQUESTS} requests from ${CLIENTS} concurrent clients without an error or a leak`, async () => {
  // Mostly JSON pixels, and one PNG in nine (decoding a picture is the slow part).
  const { pixels } = testDigits(8);
  const requests: Send[] = [
    ...pixels.map((digit) => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pixels: Array.from(digit) }),
    })),
    { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: drawnDigitPng(pixels[0]) },
  ];
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const gc = collector();
  try {
    expect(await load(200, CLIENTS, agent, requests)).toEqual(new Map([[200, 200]])); // warm-up
    const before = liveHeap(gc);
    expect(await load(REQUESTS, CLIENTS, agent, requests)).toEqual(new Map([[200, REQUESTS]]));
    const growth = liveHeap(gc) - before;
    // Keeping even 10 kB per request would grow the heap by 20 MB.
    expect(growth).toBeLessThan(8 * 2 ** 20);
  } finally {
    agent.destroy();
  }
}, 120_000);
