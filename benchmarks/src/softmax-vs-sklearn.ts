// SoftmaxRegression against scikit-learn's LogisticRegression(multi_class='multinomial',
// solver='lbfgs', C=1, tol=1e-6, max_iter=1000) on full MNIST (pixels / 255), both run to
// convergence, single-threaded, each run in its own process, alternating (ours, scikit-learn,
// ours, ...) so that a shared machine's load falls on both alike. Both sides report the
// objective they reached, computed the same way in float64 from their fitted parameters,
//   f(W, b) = C * sum_i CE_i + ||W||^2 / 2   (the intercept is not penalised),
// so that the times compare fits that reach the same optimum (target: our objective within
// 1e-6 relative of scikit-learn's, and fit <= 0.3x its time). Reports medians of wall-clock and
// CPU fit seconds, their ratio, the objectives, the test accuracies and the load average
// sampled during the runs.
//
//   pnpm exec tsx --conditions=typedlearn-source benchmarks/src/softmax-vs-sklearn.ts [--runs 3]
//       [--threads 1] [--set key=value ...] [--json FILE]
//
// --threads sets our side's threads only; scikit-learn always runs on one. Our side runs with
// tol=1e-6, maxIter=1000 unless --set overrides them.
//
// scikit-learn is Debian's python3-sklearn 1.2.1, run with /usr/bin/python3 and one BLAS
// thread; when it is missing its rows are reported as skipped.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SoftmaxRegression } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist, mnistDataDirectory } from '@typedlearn/data/node';
import { describeLoad, startLoadSampler } from './load-sampler.js';
import { median } from './median.js';

interface RunResult {
  impl: string;
  fitSeconds: number;
  fitCpuSeconds: number;
  accuracy: number;
  iterations: number;
  /** C * sum_i CE_i + ||W||^2 / 2 at the fitted parameters, in float64. */
  objective: number;
}

const PYTHON = '/usr/bin/python3';

const SKLEARN_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
folder = sys.argv[1]
def images(name): return np.fromfile(folder + '/' + name, dtype=np.uint8, offset=16).reshape(-1, 784) / 255.0
def labels(name): return np.fromfile(folder + '/' + name, dtype=np.uint8, offset=8).astype(np.int64)
X, y = images('train-images-idx3-ubyte'), labels('train-labels-idx1-ubyte')
Xt, yt = images('t10k-images-idx3-ubyte'), labels('t10k-labels-idx1-ubyte')
model = LogisticRegression(multi_class='multinomial', solver='lbfgs', C=1.0, tol=1e-6, max_iter=1000)
wall, cpu = time.perf_counter(), time.process_time()
model.fit(X, y)
out = dict(impl='scikit-learn', fitSeconds=time.perf_counter() - wall, fitCpuSeconds=time.process_time() - cpu)
out['accuracy'] = float((model.predict(Xt) == yt).mean())
out['iterations'] = int(model.n_iter_[0])
z = X @ model.coef_.T + model.intercept_
z -= z.max(axis=1, keepdims=True)
ce = np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]
out['objective'] = float(1.0 * ce.sum() + 0.5 * (model.coef_ ** 2).sum())
print(json.dumps(out))
`;

/** Our side, in a child process. */
async function child(overrides: Record<string, unknown>, threads: number): Promise<void> {
  const { train, test } = loadMnist();
  const X = toFloat01(flattenImages(train.images));
  const Xtest = toFloat01(flattenImages(test.images));
  const model = new SoftmaxRegression({ tol: 1e-6, maxIter: 1000, ...overrides });
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await model.fit(X, train.labels, { threads });
  const used = process.cpuUsage(cpu);
  const result: RunResult = {
    impl: 'typedlearn',
    fitSeconds: (performance.now() - wall) / 1000,
    fitCpuSeconds: (used.user + used.system) / 1e6,
    accuracy: model.score(Xtest, test.labels),
    iterations: model.info.iterations as number,
    objective: objective(model, X.data, train.labels),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** C * sum_i CE_i + ||W||^2 / 2 at the model's parameters, in float64, as the Python side computes it. */
function objective(model: SoftmaxRegression, X: Float32Array, y: Int32Array): number {
  const C = model.params.C;
  const W = model.coef.contiguousData();
  const b = model.intercept.contiguousData();
  const k = b.length;
  const d = X.length / y.length;
  const z = new Float64Array(k);
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    let top = -Infinity;
    for (let c = 0; c < k; c++) {
      let sum = b[c];
      for (let j = 0; j < d; j++) sum += W[c * d + j] * X[i * d + j];
      z[c] = sum;
      if (sum > top) top = sum;
    }
    let total = 0;
    for (let c = 0; c < k; c++) total += Math.exp(z[c] - top);
    loss += Math.log(total) + top - z[y[i]];
  }
  let norm = 0;
  for (let i = 0; i < W.length; i++) norm += W[i] * W[i];
  return C * loss + norm / 2;
}

function runOurs(overrides: Record<string, unknown>, threads: number): RunResult {
  const args = [
    ...process.execArgv,
    process.argv[1],
    '--child',
    JSON.stringify(overrides),
    '--threads',
    String(threads),
  ];
  return lastJsonLine(spawnSync(process.execPath, args, { encoding: 'utf8' }), 'typedlearn');
}

function runSklearn(): RunResult {
  const env = {
    ...process.env,
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  const result = spawnSync(PYTHON, ['-c', SKLEARN_SCRIPT, mnistDataDirectory()], {
    encoding: 'utf8',
    env,
  });
  return lastJsonLine(result, 'scikit-learn');
}

function lastJsonLine(result: ReturnType<typeof spawnSync>, name: string): RunResult {
  if (result.status !== 0) throw new Error(`${name} failed:\n${String(result.stderr)}`);
  const lines = String(result.stdout).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as RunResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      threads: { type: 'string', default: '1' },
      set: { type: 'string', multiple: true, default: [] },
      json: { type: 'string' },
      child: { type: 'string' },
    },
  });
  const threads = Number(values.threads);
  if (values.child !== undefined) {
    return child(JSON.parse(values.child) as Record<string, unknown>, threads);
  }
  const overrides: Record<string, unknown> = {};
  for (const flag of values.set ?? []) {
    const [key, raw] = flag.split('=', 2);
    overrides[key] = Number.isNaN(Number(raw)) ? raw : Number(raw);
  }
  const withSklearn = spawnSync(PYTHON, ['-c', 'import sklearn']).status === 0;
  const ours: RunResult[] = [];
  const theirs: RunResult[] = [];
  const load = startLoadSampler();
  for (let run = 0; run < Number(values.runs); run++) {
    ours.push(runOurs(overrides, threads));
    console.error(`run ${run + 1}: typedlearn ${ours[run].fitSeconds.toFixed(2)} s`);
    if (withSklearn) {
      theirs.push(runSklearn());
      console.error(`run ${run + 1}: scikit-learn ${theirs[run].fitSeconds.toFixed(2)} s`);
    }
  }
  const during = load.stop();
  const summary = (runs: RunResult[]) => ({
    impl: runs[0].impl,
    fitSeconds: median(runs.map((r) => r.fitSeconds)),
    fitCpuSeconds: median(runs.map((r) => r.fitCpuSeconds)),
    accuracy: runs[0].accuracy,
    iterations: runs[0].iterations,
    objective: runs[0].objective,
    runs,
  });
  const rows = [summary(ours), ...(withSklearn ? [summary(theirs)] : [])];
  console.log('impl           fit s (median)   fit CPU s   iterations   objective        accuracy');
  for (const r of rows) {
    console.log(
      `${r.impl.padEnd(14)} ${r.fitSeconds.toFixed(2).padStart(14)}   ${r.fitCpuSeconds.toFixed(2).padStart(9)}   ` +
        `${String(r.iterations).padStart(10)}   ${r.objective.toFixed(4).padStart(14)}   ${(100 * r.accuracy).toFixed(2)}%`,
    );
  }
  console.log(describeLoad(during));
  if (withSklearn) {
    const [a, b] = rows;
    console.log(
      `ratio typedlearn / scikit-learn: ${(a.fitSeconds / b.fitSeconds).toFixed(3)}x wall, ` +
        `${(a.fitCpuSeconds / b.fitCpuSeconds).toFixed(3)}x CPU; objective ` +
        `${((a.objective - b.objective) / b.objective).toExponential(2)} relative to scikit-learn's ` +
        '(target: <= 1e-6, the same optimum)',
    );
  } else {
    console.log('scikit-learn: skipped (install python3-sklearn to compare)');
  }
  if (values.json !== undefined) {
    writeFileSync(values.json, `${JSON.stringify({ rows, loadDuring: during }, null, 2)}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
