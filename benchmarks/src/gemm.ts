/**
 * `pnpm bench:gemm`: GEMM throughput (GFLOP/s) of the naive i-k-j loop, typedlearn's GEMM on
 * each backend (`js`, `wasm-simd`) on 1 and 2 threads, and @tensorflow/tfjs's pure-JS CPU
 * backend and its WebAssembly backend (XNNPACK with SIMD, one thread) as the peers, at the
 * shapes of benchmarks/README.md, all in one process so the ratios compare like with like.
 *
 *   pnpm bench:gemm [--json FILE] [--shapes 1024x1024x1024,256x784x256] [--rounds N]
 *
 * Shapes are m x k x n: A is m x k, B is k x n. Each figure is the median over `rounds` timed
 * runs (default 5), interleaved across implementations, after one warm-up run of each. The
 * load average is sampled every second while the rounds run.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { Bench } from 'tinybench';
import {
  Rng,
  WorkerPool,
  allocateShared,
  gemm,
  gemmParallel,
  setBackend,
  type Backend,
} from '@typedlearn/tensor';
import { describeLoad, startLoadSampler } from './load-sampler.js';
import { naiveGemm } from './naive-gemm.js';
import { median } from './median.js';

/** One result row, as written by `--json`. */
export interface GemmRow {
  impl: Impl;
  m: number;
  k: number;
  n: number;
  threads: number;
  gflops: number;
  medianMs: number;
}

const IMPLS = [
  'naive',
  'js',
  'js-2threads',
  'wasm',
  'wasm-2threads',
  'tfjs-cpu',
  'tfjs-wasm',
] as const;
type Impl = (typeof IMPLS)[number];

const DEFAULT_SHAPES = '1024x1024x1024,256x784x256,60000x784x10';

interface Shape {
  m: number;
  k: number;
  n: number;
}

function parseShapes(text: string): Shape[] {
  return text.split(',').map((item) => {
    const parts = item.split('x').map(Number);
    if (parts.length !== 3 || parts.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new Error(`--shapes: '${item}' is not of the form MxKxN with positive integers`);
    }
    const [m, k, n] = parts;
    return { m, k, n };
  });
}

/**
 * Median milliseconds of each function over `rounds` rounds. Each round runs every function
 * once, one after another (a tinybench run with one iteration per task), so a change in the
 * machine's load during the measurement affects all of them alike and their ratios stay fair.
 * The first round also warms each function up once (JIT compilation, worker start-up).
 */
async function interleavedMedians(
  rounds: number,
  fns: Record<string, () => unknown>,
): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      iterations: 1,
      time: 0,
      warmup: round === 0,
      warmupIterations: 1,
      throws: true,
    });
    for (const [name, fn] of Object.entries(fns)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete`);
      (samples[task.name] ??= []).push(result.latency.p50);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, times]) => [name, median(times)]));
}

/** Largest |x - y| / (1 + |y|): a sanity check that every implementation computes the same C. */
function maxRelativeDifference(x: Float32Array, y: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++)
    worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return worst;
}

async function benchmarkShape(
  { m, k, n }: Shape,
  rounds: number,
  pool: WorkerPool,
): Promise<GemmRow[]> {
  const rng = new Rng(0);
  const a = allocateShared('float32', m * k);
  const b = allocateShared('float32', k * n);
  for (let i = 0; i < a.length; i++) a[i] = rng.uniform() - 0.5;
  for (let i = 0; i < b.length; i++) b[i] = rng.uniform() - 0.5;
  const naiveC = new Float32Array(m * n);
  const oneThread = { js: new Float32Array(m * n), 'wasm-simd': new Float32Array(m * n) };
  const twoThreads = {
    js: allocateShared('float32', m * n),
    'wasm-simd': allocateShared('float32', m * n),
  };
  const tfjs: Record<'cpu' | 'wasm', Float32Array> = {
    cpu: new Float32Array(0),
    wasm: new Float32Array(0),
  };
  const tfTensors = {
    cpu: await tfOperands('cpu', a, b, m, k, n),
    wasm: await tfOperands('wasm', a, b, m, k, n),
  };

  const on = (backend: Backend, threads: 1 | 2) => () => {
    setBackend(backend);
    return threads === 1
      ? gemm(false, false, m, n, k, 1, a, k, b, n, 0, oneThread[backend], n)
      : gemmParallel(pool, false, false, m, n, k, 1, a, k, b, n, 0, twoThreads[backend], n);
  };
  const peer = (backend: 'cpu' | 'wasm') => async () => {
    await tf.setBackend(backend);
    const [tfA, tfB] = tfTensors[backend];
    const product = tf.matMul(tfA, tfB);
    tfjs[backend] = (await product.data()) as Float32Array;
    product.dispose();
  };
  const label = `${m}x${k}x${n}`;
  const times = await interleavedMedians(rounds, {
    naive: () => naiveGemm(m, n, k, a, b, naiveC),
    js: on('js', 1),
    'js-2threads': on('js', 2),
    wasm: on('wasm-simd', 1),
    'wasm-2threads': on('wasm-simd', 2),
    'tfjs-cpu': peer('cpu'),
    'tfjs-wasm': peer('wasm'),
  });
  setBackend('auto');
  for (const [tfA, tfB] of Object.values(tfTensors)) tf.dispose([tfA, tfB]);

  const differences = [
    oneThread.js,
    oneThread['wasm-simd'],
    twoThreads.js,
    twoThreads['wasm-simd'],
    tfjs.cpu,
    tfjs.wasm,
  ].map((c) => maxRelativeDifference(c, naiveC));
  const threadsAgree =
    maxRelativeDifference(twoThreads.js, oneThread.js) === 0 &&
    maxRelativeDifference(twoThreads['wasm-simd'], oneThread['wasm-simd']) === 0;
  if (differences.some((d) => !(d < 1e-3)) || !threadsAgree) {
    throw new Error(`${label}: implementations disagree (relative differences ${differences})`);
  }
  const flops = 2 * m * n * k;
  return (Object.keys(times) as Impl[]).map((impl) => ({
    impl,
    m,
    k,
    n,
    threads: impl.endsWith('2threads') ? 2 : 1,
    gflops: flops / (times[impl] * 1e6),
    medianMs: times[impl],
  }));
}

/** A and B as tensors of the tfjs backend `backend` (created while it is the active one). */
async function tfOperands(
  backend: 'cpu' | 'wasm',
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Promise<[tf.Tensor2D, tf.Tensor2D]> {
  await tf.setBackend(backend);
  return [tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])];
}

function printTable(rows: GemmRow[]): void {
  const byShape = new Map<string, GemmRow[]>();
  for (const row of rows) {
    const key = `${row.m}x${row.k}x${row.n}`;
    byShape.set(key, [...(byShape.get(key) ?? []), row]);
  }
  const table = [...byShape].map(([shape, group]) => {
    const gflops = Object.fromEntries(group.map((r) => [r.impl, r.gflops])) as Record<Impl, number>;
    const ratio = (x: Impl, y: Impl) => (gflops[x] / gflops[y]).toFixed(2);
    return {
      'm x k x n': shape,
      ...Object.fromEntries(IMPLS.map((impl) => [`${impl} GF/s`, gflops[impl].toFixed(2)])),
      'wasm / tfjs-wasm': ratio('wasm', 'tfjs-wasm'),
      'wasm / js': ratio('wasm', 'js'),
      'wasm 2T / 1T': ratio('wasm-2threads', 'wasm'),
      'js / tfjs-cpu': ratio('js', 'tfjs-cpu'),
    };
  });
  console.table(table);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      shapes: { type: 'string', default: DEFAULT_SHAPES },
      rounds: { type: 'string', default: '5' },
    },
  });
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  }
  // tfjs's WebAssembly backend on one thread, with SIMD where the engine has it (Node 20 does).
  setThreadsCount(1);
  await tf.setBackend('wasm');
  const rows: GemmRow[] = [];
  const pool = WorkerPool.create(2);
  const load = startLoadSampler();
  try {
    for (const shape of parseShapes(values.shapes)) {
      console.error(`measuring ${shape.m}x${shape.k}x${shape.n} (${rounds} rounds)...`);
      rows.push(...(await benchmarkShape(shape, rounds, pool)));
    }
  } finally {
    await pool.close();
  }
  const during = load.stop();
  printTable(rows);
  // Other processes compete for the same cores: 2 threads cannot beat 1 unless a core is idle.
  console.error(`${describeLoad(during)}, on ${cpus().length} cores; tfjs backend: wasm`);
  if (values.json !== undefined) {
    writeFileSync(values.json, `${JSON.stringify({ rows, loadDuring: during }, null, 2)}\n`);
    console.error(`wrote ${rows.length} rows to ${values.json}`);
  }
}

await main();
