// `pnpm bench:serve`: requests per second and latency percentiles of `typedlearn serve` for
// single-image predictions, on loopback only. Each model file is served by its own
// `typedlearn serve` child process (run from the sources, as `pnpm typedlearn` does); this
// process is the client, with keep-alive connections, sending MNIST test digits as JSON
// pixels and as PNG pictures. Every setting is measured in rounds of fixed length after a
// warm-up, and the row reports the median round:
//
//   pnpm bench:serve --model svm=models/svm.safetensors --model mlp=models/mlp.safetensors
//
// Make the model files first, e.g.:
//   pnpm typedlearn train --model svm --train-size 10000 --out models/svm.safetensors
//   pnpm typedlearn train --model mlp --out models/mlp.safetensors
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { loadMnist } from '@typedlearn/data/node';
import { median } from './median.js';

/** One measured setting: the median round's figures. */
interface Row {
  model: string;
  input: 'pixels' | 'png';
  clients: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** One prepared request body. */
interface Body {
  contentType: string;
  bytes: Buffer;
}

const USAGE = `usage: pnpm bench:serve [--model name=FILE ...] [--clients 1,16] [--seconds S] [--rounds R] [--json FILE]
  defaults: --model svm=models/svm.safetensors --model mlp=models/mlp.safetensors --clients 1,16 --seconds 3 --rounds 3`;
const BIN = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const WARM_UP_REQUESTS = 200;
/** Digits cycled through as request bodies. */
const DIGITS = 100;

function options() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', multiple: true },
      clients: { type: 'string', default: '1,16' },
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const models = (values.model ?? ['svm=models/svm.safetensors', 'mlp=models/mlp.safetensors']).map(
    (spec) => {
      const [name, file] = spec.split('=');
      if (name === '' || file === undefined) fail(`--model ${spec}: expected name=FILE`);
      if (!existsSync(file))
        fail(`--model ${spec}: ${file} does not exist (see the commands in ${import.meta.url})`);
      return { name, file };
    },
  );
  const clients = values.clients.split(',').map(Number);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  if (!clients.every((c) => Number.isInteger(c) && c >= 1 && c <= 256))
    fail('--clients: integers 1..256');
  if (!(seconds > 0 && seconds <= 60)) fail('--seconds: a number in (0, 60]');
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 15))
    fail('--rounds: an integer 1..15');
  return { models, clients, seconds, rounds, json: values.json };
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** The first {@link DIGITS} MNIST test digits as JSON pixel bodies and as PNG bodies (dark on white, 4x). */
function bodies(): Record<Row['input'], Body[]> {
  const images = loadMnist().test.images.slice(0, DIGITS).contiguous().data as Uint8Array;
  const pixels: Body[] = [];
  const png: Body[] = [];
  for (let i = 0; i < DIGITS; i++) {
    const digit = images.subarray(i * 784, (i + 1) * 784);
    pixels.push({
      contentType: 'application/json',
      bytes: Buffer.from(JSON.stringify({ pixels: Array.from(digit) })),
    });
    const picture = new PNG({ width: 112, height: 112 });
    for (let y = 0; y < 112; y++) {
      for (let x = 0; x < 112; x++) {
        const grey = 255 - digit[(y >> 2) * 28 + (x >> 2)];
        picture.data.set([grey, grey, grey, 255], 4 * (y * 112 + x));
      }
    }
    png.push({ contentType: 'image/png', bytes: PNG.sync.write(picture) });
  }
  return { pixels, png };
}

/** Starts `typedlearn serve --model file --port 0` and resolves to its URL once it listens. */
function serve(file: string): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=typedlearn-source',
      '--import',
      TSX_LOADER,
      BIN,
      'serve',
      '--model',
      file,
      '--port',
      '0',
    ],
    { stdio: 'pipe' },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.on('exit', (code) =>
      reject(new Error(`typedlearn serve exited with ${code}: ${stderr}`)),
    );
  });
}

/** POSTs one body; resolves to the status (0 for a failed connection) and the latency in ms. */
function post(url: string, body: Body, agent: Agent): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': body.contentType, 'Content-Length': body.bytes.length },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', () =>
      resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }),
    );
    req.end(body.bytes);
  });
}

/**
 * `clients` clients, each sending its next request as soon as the last is answered, until
 * `seconds` have passed (or `maxRequests` were sent): the latencies and the error count.
 */
async function round(
  url: string,
  bodies: Body[],
  clients: number,
  seconds: number,
  maxRequests: number,
) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const client = async (): Promise<void> => {
    while (performance.now() < deadline && sent < maxRequests) {
      const { status, ms } = await post(url, bodies[sent++ % bodies.length], agent);
      if (status === 200) latencies.push(ms);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, errors, elapsed };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main(): Promise<void> {
  const { models, clients, seconds, rounds, json } = options();
  const inputs = bodies();
  const rows: Row[] = [];
  process.stdout.write(
    `typedlearn serve on loopback, single-image predictions; ${rounds} rounds of ${seconds} s per setting, median round\n`,
  );
  for (const { name, file } of models) {
    const { child, url } = await serve(file);
    try {
      const endpoint = `${url}api/predict`;
      for (const input of ['pixels', 'png'] as const) {
        await round(endpoint, inputs[input], 1, 60, WARM_UP_REQUESTS);
        for (const c of clients) {
          const results = [];
          for (let r = 0; r < rounds; r++)
            results.push(await round(endpoint, inputs[input], c, seconds, 1e6));
          const rates = results.map((res) => res.latencies.length / res.elapsed);
          const chosen = results[rates.indexOf(median(rates))];
          const sorted = [...chosen.latencies].sort((a, b) => a - b);
          const row: Row = {
            model: name,
            input,
            clients: c,
            requests: chosen.latencies.length + chosen.errors,
            errors: results.reduce((sum, res) => sum + res.errors, 0),
            requestsPerSecond: Math.round(median(rates)),
            p50Ms: Number(percentile(sorted, 0.5).toFixed(2)),
            p99Ms: Number(percentile(sorted, 0.99).toFixed(2)),
          };
          rows.push(row);
          process.stdout.write(
            `${name.padEnd(8)} ${input.padEnd(6)} clients ${String(c).padStart(3)}  ` +
              `${String(row.requestsPerSecond).padStart(6)} req/s  p50 ${row.p50Ms.toFixed(2).padStart(7)} ms  ` +
              `p99 ${row.p99Ms.toFixed(2).padStart(7)} ms  errors ${row.errors}\n`,
          );
        }
      }
    } finally {
      child.kill('SIGTERM');
    }
  }
  if (json !== undefined) writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
