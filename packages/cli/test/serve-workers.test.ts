// `typedlearn serve --workers N`: worker processes share the port, so a slow request holds up
// one of them only; a worker that dies is replaced, and workers that keep dying stop the
// server with an error instead of being restarted in a loop.
import { setTimeout as sleep } from 'node:timers/promises';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveDigitModel, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { send } from './helpers/serve-http.js';
import { startServe, type ServeProcess } from './helpers/serve-process.js';

let saved: SavedDigitModel;

beforeAll(async () => {
  saved = await saveDigitModel(300, 3);
});
afterAll(() => saved?.remove());

/**
 * A 4000 x 4000 grey PNG, the whole 16-megapixel budget of a request, of a bright block on
 * black: a 20 kB body that takes the server most of a second to decode and prepare.
 */
function hugeDigitPng(): Buffer {
  const side = 4000;
  const grey = { colorType: 0, inputColorType: 0, inputHasAlpha: false } as const;
  const png = new PNG({ width: side, height: side, ...grey });
  png.data = Buffer.alloc(side * side);
  for (let y = 1000; y < 3000; y++) png.data.fill(255, y * side + 1600, y * side + 2400);
  return PNG.sync.write(png, grey);
}

/** The pids of the workers that answered, from the access log. */
async function workersSeen(serve: ServeProcess, requests: number): Promise<Set<number>> {
  return new Set((await serve.accessLogLines(requests)).map((entry) => entry.worker));
}

it('answers a fast request while another worker is busy with a slow one', async () => {
  const body = hugeDigitPng();
  const serve = await startServe(['--model', saved.path, '--workers', '2']);
  try {
    const finished: string[] = [];
    const slow = send(`${serve.url}api/predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png', 'X-Request-Id': 'slow' },
      body,
    }).then((reply) => (finished.push('slow'), reply));
    await sleep(200); // one worker is decoding the picture now
    const fast = await send(`${serve.url}api/health`, { headers: { 'X-Request-Id': 'fast' } });
    finished.push('fast');
    expect(fast.status).toBe(200);
    expect((await slow).status).toBe(200);
    expect(finished).toEqual(['fast', 'slow']);
    const log = await serve.accessLogLines(2);
    const workerOf = (id: string) => log.find((entry) => entry.requestId === id)?.worker;
    expect(workerOf('slow')).not.toBe(workerOf('fast'));
  } finally {
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  }
}, 60_000);

it('replaces a worker that dies, and keeps answering meanwhile', async () => {
  const serve = await startServe(['--model', saved.path, '--workers', '2']);
  try {
    // New connections go to the workers in turn: two requests meet both.
    for (let i = 0; i < 2; i++) expect((await send(`${serve.url}api/health`)).status).toBe(200);
    const [victim] = await workersSeen(serve, 2);
    process.kill(victim, 'SIGKILL');
    const [, replacement] = await serve.stderrMatch(
      new RegExp(
        `worker ${victim} exited unexpectedly \\(signal SIGKILL\\); started worker (\\d+) in its place`,
      ),
    );
    // Every request succeeds, answered by the survivor until the replacement listens too.
    let answeredByReplacement = false;
    for (let i = 0; i < 200 && !answeredByReplacement; i++) {
      const reply = await send(`${serve.url}api/health`, { headers: { 'X-Request-Id': `r${i}` } });
      expect(reply.status).toBe(200);
      const log = await serve.accessLogLines(3 + i);
      answeredByReplacement = log.some((entry) => entry.worker === Number(replacement));
      await sleep(50);
    }
    expect(answeredByReplacement).toBe(true);
  } finally {
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  }
}, 60_000);

it('stops with an error when workers keep dying, rather than restarting them forever', async () => {
  const serve = await startServe(['--model', saved.path, '--workers', '2']);
  expect((await send(`${serve.url}api/health`)).status).toBe(200);
  let [victim] = await workersSeen(serve, 1);
  // Kill a worker, then each replacement as soon as it is started: the sixth death within
  // ten seconds stops the server.
  for (let deaths = 1; deaths <= 6; deaths++) {
    process.kill(victim, 'SIGKILL');
    const replaced = await Promise.race([
      serve.stderrMatch(
        new RegExp(`worker ${victim} exited unexpectedly .*; started worker (\\d+)`),
      ),
      serve.exit.then(() => undefined),
    ]);
    if (replaced === undefined) break;
    victim = Number(replaced[1]);
  }
  expect(await serve.exit).toEqual({ code: 1, signal: null });
  expect(serve.stderr()).toMatch(
    /error: the workers keep exiting \(6 times within 10 s, the last with signal SIGKILL; see the errors above\): stopping rather than restarting them in a loop/,
  );
}, 60_000);
