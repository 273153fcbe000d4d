// `pnpm bench:serve`: predictions per second and latency of `typedlearn serve`, driven by
// autocannon on loopback. For each worker count, a `typedlearn serve --workers W` child
// process (run from the sources, as `pnpm typedlearn` does, access log on and drained) serves
// the model; autocannon keeps N connections busy, each request one MNIST test digit as a
// 28 x 28 PNG (every connection cycles through the first 100), for S seconds after a warm-up.
// The load average is sampled every second of the run, because the client shares the
// machine with the server:
//
//   pnpm bench:serve                                   # models/best.safetensors, as `pnpm start` saves
//   pnpm bench:serve --model models/svm.safetensors --workers 1,2,4 --connections 32 --seconds 10
//
// The target, with the model `pnpm start` saves on the 2-core development machine:
// 16 connections for 20 s, at least 1000 predictions/s with p99 <= 20 ms.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { loadMnist } from '@typedlearn/data/node';
import { median } from './median.js';

/** The figures of one run. */
interface Row {
  workers: number;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
  /** The 1-minute load average, sampled every second of the run. */
  loadAverageMedian: number;
  loadAverageMax: number;
}

/** What this script reads of autocannon's programmatic API (the package ships no types). */
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: { method: string; headers: Record<string, string>; body: Buffer }[];
  warmup: { connections: number; duration: number };
}) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}>;

const USAGE = `usage: pnpm bench:serve [--model FILE] [--workers 1,2] [--connections 16] [--seconds 20] [--json FILE]
  defaults: --model models/best.safetensors (as \`pnpm start\` saves it) --workers 1,2 --connections 16 --seconds 20`;
const BIN = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url));
const require = createRequire(import.meta.url);
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const autocannon = require('autocannon') as Autocannon;
/** Digits cycled through as request bodies. */
const DIGITS = 100;
const WARM_UP_SECONDS = 3;
const TARGET = { requestsPerSecond: 1000, p99Ms: 20 };

function options() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/best.safetensors' },
      workers: { type: 'string', default: '1,2' },
      connections: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '20' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!existsSync(values.model)) {
    fail(`--model ${values.model} does not exist (\`pnpm start\` saves models/best.safetensors)`);
  }
  const workers = values.workers.split(',').map(Number);
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  if (!workers.every((w) => Number.isInteger(w) && w >= 1 && w <= 64)) {
    fail(`--workers ${values.workers}: expected integers 1..64 separated by commas, e.g. 1,2`);
  }
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 1024)) {
    fail(`--connections ${values.connections}: expected an integer 1..1024`);
  }
  if (!(seconds > 0 && seconds <= 600)) {
    fail(`--seconds ${values.seconds}: expected a number of seconds in (0, 600]`);
  }
  return { model: values.model, workers, connections, seconds, json: values.json };
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** The first {@link DIGITS} MNIST test digits, each a 28 x 28 grey PNG as in MNIST (light ink on black). */
function digitPngs(): Buffer[] {
  const images = loadMnist().test.images.slice(0, DIGITS).contiguous().data as Uint8Array;
  return Array.from({ length: DIGITS }, (_, i) => {
    const picture = new PNG({ width: 28, height: 28 });
    images.subarray(i * 784, (i + 1) * 784).forEach((grey, p) => {
      picture.data.set([grey, grey, grey, 255], 4 * p);
    });
    return PNG.sync.write(picture);
  });
}

/** Starts `typedlearn serve --workers W --port 0` and resolves to its URL once it listens. */
function serve(
  model: string,
  workers: number,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=typedlearn-source',
      '--import',
      TSX_LOADER,
      BIN,
      'serve',
      '--model',
      model,
      '--port',
      '0',
      '--workers',
      String(workers),
    ],
    { stdio: 'pipe' },
  );
  let banner = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    const readBanner = (chunk: Buffer): void => {
      banner += String(chunk);
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(banner)?.[1];
      if (url === undefined) return;
      // From now on stdout is the access log: read and dropped, so the server never blocks on it.
      child.stdout.off('data', readBanner).resume();
      resolve({ child, url });
    };
    child.stdout.on('data', readBanner);
    child.on('exit', (code) =>
      reject(new Error(`typedlearn serve exited with ${code}: ${stderr}`)),
    );
  });
}

/** Stops the server gracefully and waits until it has exited. */
function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function measure(
  url: string,
  bodies: Buffer[],
  workers: number,
  connections: number,
  seconds: number,
): Promise<Row> {
  const load: number[] = [];
  let sampler: NodeJS.Timeout | undefined;
  const warmUpDone = setTimeout(() => {
    sampler = setInterval(() => load.push(loadavg()[0]), 1000);
  }, WARM_UP_SECONDS * 1000);
  try {
    const result = await autocannon({
      url: `${url}api/predict`,
      connections,
      duration: seconds,
      requests: bodies.map((body) => ({
        method: 'POST',
        headers: { 'Content-Type': 'image/png' },
        body,
      })),
      warmup: { connections, duration: WARM_UP_SECONDS },
    });
    return {
      workers,
      connections,
      seconds,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      loadAverageMedian: load.length > 0 ? Number(median(load).toFixed(2)) : NaN,
      loadAverageMax: load.length > 0 ? Number(Math.max(...load).toFixed(2)) : NaN,
    };
  } finally {
    clearTimeout(warmUpDone);
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  const { model, workers, connections, seconds, json } = options();
  const bodies = digitPngs();
  const rows: Row[] = [];
  process.stdout.write(
    `typedlearn serve on loopback: ${model}, one 28 x 28 PNG digit per request, ` +
      `${connections} connections for ${seconds} s after a ${WARM_UP_SECONDS} s warm-up\n`,
  );
  for (const count of workers) {
    const { child, url } = await serve(model, count);
    try {
      const row = await measure(url, bodies, count, connections, seconds);
      rows.push(row);
      const met = row.requestsPerSecond >= TARGET.requestsPerSecond && row.p99Ms <= TARGET.p99Ms;
      process.stdout.write(
        `workers ${String(count).padStart(2)}  ${String(row.requestsPerSecond).padStart(6)} req/s  ` +
          `p50 ${String(row.p50Ms).padStart(4)} ms  p99 ${String(row.p99Ms).padStart(4)} ms  ` +
          `errors ${row.errors}  non-2xx ${row.non2xx}  load average median ${row.loadAverageMedian}, ` +
          `max ${row.loadAverageMax}  target (>= ${TARGET.requestsPerSecond} req/s, p99 <= ${TARGET.p99Ms} ms) ` +
          `${met ? 'met' : 'missed'}\n`,
      );
    } finally {
      await stop(child);
    }
  }
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
