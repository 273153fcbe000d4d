/**
 * `pnpm bench:gemm`: GEMM throughput (GFLOP/s) of the naive i-k-j loop, typedlearn's GEMM on 1
 * and 2 threads, and @tensorflow/tfjs's pure-JS CPU backend, at the shapes of
 * benchmarks/README.md, all in one process so the ratios compare like with like.
 *
 *   pnpm bench:gemm [--json FILE] [--shapes 1024x1024x1024,256x784x256] [--rounds N]
 *
 * Shapes are m x k x n: A is m x k, B is k x n. Each figure is the median over `rounds` timed
 * runs (default 5), interleaved across implementations, after one warm-up run of each.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Bench } from 'tinybench';
import { Rng, WorkerPool, allocateShared, gemm, gemmParallel } from '@typedlearn/tensor';
import { naiveGemm } from './naive-gemm.js';
import { median } from './median.js';

/** One result row, as written by `--json`. */
export interface GemmRow {
  impl: 'naive' | 'typedlearn' | 'typedlearn-2threads' | 'tfjs-cpu';
  m: number;
  k: number;
  n: number;
  threads: number;
  gflops: number;
  medianMs: number;
}

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
  const oneThreadC = new Float32Array(m * n);
  const twoThreadC = allocateShared('float32', m * n);
  const tfA = tf.tensor2d(a, [m, k]);
  const tfB = tf.tensor2d(b, [k, n]);
  let tfC: Float32Array = new Float32Array(0);

  const label = `${m}x${k}x${n}`;
  const times = await interleavedMedians(rounds, {
    naive: () => naiveGemm(m, n, k, a, b, naiveC),
    typedlearn: () => gemm(false, false, m, n, k, 1, a, k, b, n, 0, oneThreadC, n),
    'typedlearn-2threads': () =>
      gemmParallel(pool, false, false, m, n, k, 1, a, k, b, n, 0, twoThreadC, n),
    'tfjs-cpu': () => {
      const product = tf.matMul(tfA, tfB);
      tfC = product.dataSync() as Float32Array;
      product.dispose();
    },
  });
  tfA.dispose();
  tfB.dispose();

  const differences = [
    maxRelativeDifference(oneThreadC, naiveC),
    maxRelativeDifference(tfC, naiveC),
  ];
  if (differences.some((d) => !(d < 1e-3)) || maxRelativeDifference(twoThreadC, oneThreadC) !== 0) {
    throw new Error(`${label}: implementations disagree (relative differences ${differences})`);
  }
  const flops = 2 * m * n * k;
  return (Object.keys(times) as GemmRow['impl'][]).map((impl) => ({
    impl,
    m,
    k,
    n,
    threads: impl === 'typedlearn-2threads' ? 2 : 1,
    gflops: flops / (times[impl] * 1e6),
    medianMs: times[impl],
  }));
}

function printTable(rows: GemmRow[]): void {
  const byShape = new Map<string, GemmRow[]>();
  for (const row of rows) {
    const key = `${row.m}x${row.k}x${row.n}`;
    byShape.set(key, [...(byShape.get(key) ?? []), row]);
  }
  const table = [...byShape].map(([shape, group]) => {
    const gflops = Object.fromEntries(group.map((r) => [r.impl, r.gflops]));
    const library = gflops['typedlearn'];
    return {
      'm x k x n': shape,
      'naive GFLOP/s': gflops['naive'].toFixed(2),
      'tfjs-cpu GFLOP/s': gflops['tfjs-cpu'].toFixed(2),
      'typedlearn 1T GFLOP/s': library.toFixed(2),
      'typedlearn 2T GFLOP/s': gflops['typedlearn-2threads'].toFixed(2),
      '1T / naive': (library / gflops['naive']).toFixed(2),
      '1T / tfjs': (library / gflops['tfjs-cpu']).toFixed(2),
      '2T / 1T': (gflops['typedlearn-2threads'] / library).toFixed(2),
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
  await tf.setBackend('cpu');
  const rows: GemmRow[] = [];
  const pool = WorkerPool.create(2);
  try {
    for (const shape of parseShapes(values.shapes)) {
      console.error(`measuring ${shape.m}x${shape.k}x${shape.n} (${rounds} rounds)...`);
      rows.push(...(await benchmarkShape(shape, rounds, pool)));
    }
  } finally {
    await pool.close();
  }
  printTable(rows);
  // Other processes compete for the same cores: 2 threads cannot beat 1 unless a core is idle.
  console.error(
    `load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (1-minute, at the end of the run)`,
  );
  if (values.json !== undefined) {
    writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
    console.error(`wrote ${rows.length} rows to ${values.json}`);
  }
}

await main();
