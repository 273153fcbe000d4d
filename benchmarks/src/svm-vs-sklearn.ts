// Benchmark: typedlearn's SVC against scikit-learn's SVC (LIBSVM) on the same machine, same data
// (the first N MNIST training rows, pixels / 255), same hyper-parameters (RBF, C, gamma='scale',
// the same kernel-cache budget, tol 1e-3): fit and predict times (wall and CPU), test accuracy,
// support vectors and peak RSS. Every run is its own child process (so each peak RSS belongs to
// that run alone); runs are interleaved (scikit-learn, then typedlearn on each thread count) and
// reported as medians, with the load average, because the machine is shared.
//
//   tsx --conditions=typedlearn-source benchmarks/src/svm-vs-sklearn.ts \
//     [--sizes 10000,20000] [--threads 1,2] [--runs 1] [--test-size 10000] [--cache-mb 1000] \
//     [--C 5] [--no-sklearn] [--json FILE]
//
// scikit-learn is Debian's python3-sklearn (`apt-get install python3-sklearn`), run with
// /usr/bin/python3; when it is missing its rows are reported as skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SVC } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist, mnistDataDirectory } from '@typedlearn/data/node';
import { describeLoad, startLoadSampler } from './load-sampler.js';
import { median } from './median.js';

interface RunResult {
  impl: string;
  nTrain: number;
  threads: number;
  fitSeconds: number;
  fitCpuSeconds: number;
  predictSeconds: number;
  predictCpuSeconds: number;
  accuracy: number;
  supportVectors: number;
  /** Binary machines a support vector serves on average (its non-zero dual coefficients). */
  pairsPerSupportVector: number;
  peakRssMB: number;
}

const MB = 2 ** 20;
const PYTHON = '/usr/bin/python3';

/** scikit-learn's side: the same rows and settings, timed the same way. */
const SKLEARN_SCRIPT = String.raw`
import json, resource, sys, time
import numpy as np
from sklearn.svm import SVC
folder, n, n_test, C, cache_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
def images(name): return np.fromfile(folder + '/' + name, dtype=np.uint8, offset=16).reshape(-1, 784)
def labels(name): return np.fromfile(folder + '/' + name, dtype=np.uint8, offset=8).astype(np.int64)
X = images('train-images-idx3-ubyte')[:n] / 255.0
y = labels('train-labels-idx1-ubyte')[:n]
Xt = images('t10k-images-idx3-ubyte')[:n_test] / 255.0
yt = labels('t10k-labels-idx1-ubyte')[:n_test]
out = dict(impl='scikit-learn', nTrain=n, threads=1)
model = SVC(C=C, gamma='scale', cache_size=cache_mb)
wall, cpu = time.perf_counter(), time.process_time()
model.fit(X, y)
out['fitSeconds'], out['fitCpuSeconds'] = time.perf_counter() - wall, time.process_time() - cpu
wall, cpu = time.perf_counter(), time.process_time()
predicted = model.predict(Xt)
out['predictSeconds'], out['predictCpuSeconds'] = time.perf_counter() - wall, time.process_time() - cpu
out['accuracy'] = float((predicted == yt).mean())
out['supportVectors'] = int(model.n_support_.sum())
# How many pairs each support vector serves (non-zero coefficients), for the kernel-sharing analysis.
out['pairsPerSupportVector'] = float((model.dual_coef_ != 0).sum() / model.dual_coef_.shape[1])
out['peakRssMB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**20
print(json.dumps(out))
`;

interface Settings {
  nTrain: number;
  nTest: number;
  C: number;
  cacheMB: number;
  threads: number;
  mode: 'fit' | 'data';
}

/** Our side (in a child process): load, fit, predict, report. */
async function child(settings: Settings): Promise<void> {
  const mnist = loadMnist();
  const X = toFloat01(flattenImages(mnist.train.images).slice(0, settings.nTrain));
  const y = mnist.train.labels.subarray(0, settings.nTrain);
  const Xt = toFloat01(flattenImages(mnist.test.images).slice(0, settings.nTest));
  const yt = mnist.test.labels.subarray(0, settings.nTest);
  const result: RunResult = {
    impl: 'typedlearn',
    nTrain: settings.nTrain,
    threads: settings.threads,
    fitSeconds: 0,
    fitCpuSeconds: 0,
    predictSeconds: 0,
    predictCpuSeconds: 0,
    accuracy: 0,
    supportVectors: 0,
    pairsPerSupportVector: 0,
    peakRssMB: 0,
  };
  if (settings.mode === 'fit') {
    const svc = new SVC({ C: settings.C, gamma: 'scale', cacheBytes: settings.cacheMB * MB });
    let wall = performance.now();
    let cpu = process.cpuUsage();
    await svc.fit(X, y, { threads: settings.threads });
    result.fitSeconds = (performance.now() - wall) / 1000;
    result.fitCpuSeconds = cpuSeconds(process.cpuUsage(cpu));
    wall = performance.now();
    cpu = process.cpuUsage();
    result.accuracy = svc.score(Xt, yt);
    result.predictSeconds = (performance.now() - wall) / 1000;
    result.predictCpuSeconds = cpuSeconds(process.cpuUsage(cpu));
    result.supportVectors = svc.support.length;
    result.pairsPerSupportVector =
      svc.dualCoef.data.filter((c) => c !== 0).length / svc.support.length;
  }
  result.peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  process.stdout.write(JSON.stringify(result));
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

function runOurs(settings: Settings): RunResult {
  const args = [...process.execArgv, process.argv[1], '--child', JSON.stringify(settings)];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`typedlearn child failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as RunResult;
}

function runSklearn(settings: Settings): RunResult {
  const args = [
    '-c',
    SKLEARN_SCRIPT,
    mnistDataDirectory(),
    String(settings.nTrain),
    String(settings.nTest),
    String(settings.C),
    String(settings.cacheMB),
  ];
  const result = spawnSync(PYTHON, args, {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (result.status !== 0) throw new Error(`scikit-learn child failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as RunResult;
}

function sklearnAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
}

function medianRow(runs: RunResult[]): RunResult {
  const pick = (key: keyof RunResult) => median(runs.map((r) => r[key] as number));
  return {
    ...runs[0],
    fitSeconds: pick('fitSeconds'),
    fitCpuSeconds: pick('fitCpuSeconds'),
    predictSeconds: pick('predictSeconds'),
    predictCpuSeconds: pick('predictCpuSeconds'),
    peakRssMB: pick('peakRssMB'),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      sizes: { type: 'string', default: '10000,20000' },
      threads: { type: 'string', default: '1,2' },
      runs: { type: 'string', default: '1' },
      'test-size': { type: 'string', default: '10000' },
      'cache-mb': { type: 'string', default: '1000' },
      C: { type: 'string', default: '5' },
      'no-sklearn': { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  if (values.child !== undefined) return child(JSON.parse(values.child) as Settings);

  const sizes = values.sizes.split(',').map(Number);
  const threadCounts = values.threads.split(',').map(Number);
  const runs = Number(values.runs);
  const base = {
    nTest: Number(values['test-size']),
    C: Number(values.C),
    cacheMB: Number(values['cache-mb']),
  };
  const withSklearn = !values['no-sklearn'] && sklearnAvailable();
  if (!values['no-sklearn'] && !withSklearn) {
    console.log('scikit-learn: skipped (install python3-sklearn to compare)');
  }
  const loadBefore = loadavg();
  const load = startLoadSampler();
  const rows: (RunResult & { fitRatio?: number; predictRatio?: number; dataPeakRssMB: number })[] =
    [];
  for (const nTrain of sizes) {
    const data = runOurs({ ...base, nTrain, threads: 1, mode: 'data' });
    const sklearn: RunResult[] = [];
    const ours = new Map<number, RunResult[]>(threadCounts.map((t) => [t, []]));
    for (let r = 0; r < runs; r++) {
      if (withSklearn) sklearn.push(runSklearn({ ...base, nTrain, threads: 1, mode: 'fit' }));
      for (const threads of threadCounts) {
        ours.get(threads)!.push(runOurs({ ...base, nTrain, threads, mode: 'fit' }));
      }
    }
    const reference = withSklearn ? medianRow(sklearn) : undefined;
    if (reference) rows.push({ ...reference, dataPeakRssMB: Number.NaN });
    for (const threads of threadCounts) {
      const row = medianRow(ours.get(threads)!);
      rows.push({
        ...row,
        dataPeakRssMB: data.peakRssMB,
        fitRatio: reference ? row.fitSeconds / reference.fitSeconds : undefined,
        predictRatio: reference ? row.predictSeconds / reference.predictSeconds : undefined,
      });
    }
  }
  const loadAfter = loadavg();
  const during = load.stop();

  console.log(
    `SVC(rbf, C=${base.C}, gamma='scale', cache ${base.cacheMB} MB) on MNIST, test ${base.nTest} rows, ` +
      `median of ${runs}; load average ${loadBefore[0].toFixed(1)} -> ${loadAfter[0].toFixed(1)} on 2 cores`,
  );
  console.log(describeLoad(during));
  console.table(
    rows.map((r) => ({
      impl: r.impl,
      nTrain: r.nTrain,
      threads: r.threads,
      'fit s': r.fitSeconds.toFixed(1),
      'fit cpu s': r.fitCpuSeconds.toFixed(1),
      'fit ratio': r.fitRatio?.toFixed(2) ?? '',
      'predict s': r.predictSeconds.toFixed(1),
      'predict ratio': r.predictRatio?.toFixed(2) ?? '',
      accuracy: (100 * r.accuracy).toFixed(2) + '%',
      SVs: r.supportVectors,
      'pairs/SV': r.pairsPerSupportVector.toFixed(2),
      'peak RSS MB': r.peakRssMB.toFixed(0),
      'data-only RSS MB': Number.isNaN(r.dataPeakRssMB) ? '' : r.dataPeakRssMB.toFixed(0),
    })),
  );
  if (values.json) {
    writeFileSync(
      values.json,
      JSON.stringify(
        { loadAverage: [loadBefore[0], loadAfter[0]], loadDuring: during, rows },
        null,
        2,
      ) + '\n',
    );
  }
}

await main();
