// One MLP training epoch on MNIST, typedlearn against scikit-learn's MLPClassifier (one BLAS
// thread) and @tensorflow/tfjs's pure-JS CPU backend, with the same network (784-128-10, ReLU,
// softmax cross-entropy, no L2), optimiser (Adam, lr 0.001), batch size (--batch, default 200,
// scikit-learn's default) and data (60,000 images, pixels / 255). Each implementation runs
// --epochs epochs in its own child process, and the implementations take turns for --rounds
// rounds so that a shared machine's load falls on all alike. Reports the median epoch time of
// each and its ratio to scikit-learn's (target: <= 1.0x on one thread) and to tfjs's, and the
// load average sampled during the runs.
//
//   pnpm exec tsx --conditions=typedlearn-source benchmarks/src/mlp-epoch.ts [--epochs 3]
//       [--rounds 3] [--batch 200] [--json FILE]
//       [--impls typedlearn,typedlearn-dense,typedlearn-2-threads,scikit-learn,tfjs-cpu]
//
// `typedlearn-dense` forces the GEMM first layer instead of the sparse one, which shows what
// exploiting MNIST's ~81% zero pixels is worth.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MLPClassifier } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist, mnistDataDirectory } from '@typedlearn/data/node';
import { describeLoad, startLoadSampler } from './load-sampler.js';
import { median } from './median.js';

const HIDDEN = 128;
const LEARNING_RATE = 0.001;
const PYTHON = '/usr/bin/python3';

/** scikit-learn's side: one partial_fit call is one Adam epoch over shuffled mini-batches. */
const SKLEARN_SCRIPT = String.raw`
import json, sys, time
import numpy as np
from sklearn.neural_network import MLPClassifier
folder, epochs, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def images(name): return np.fromfile(folder + '/' + name, dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255.0
def labels(name): return np.fromfile(folder + '/' + name, dtype=np.uint8, offset=8).astype(np.int64)
X, y = images('train-images-idx3-ubyte'), labels('train-labels-idx1-ubyte')
Xt, yt = images('t10k-images-idx3-ubyte'), labels('t10k-labels-idx1-ubyte')
model = MLPClassifier(hidden_layer_sizes=(${HIDDEN},), solver='adam', alpha=0.0, batch_size=batch,
                      learning_rate_init=${LEARNING_RATE}, shuffle=True, random_state=0)
seconds = []
for _ in range(epochs):
    start = time.perf_counter()
    model.partial_fit(X, y, classes=np.arange(10))
    seconds.append(time.perf_counter() - start)
print(json.dumps(dict(impl='scikit-learn', epochSeconds=seconds, accuracy=float((model.predict(Xt) == yt).mean()))))
`;

interface EpochResult {
  impl: string;
  /** Wall-clock seconds of each epoch. */
  epochSeconds: number[];
  /** Test accuracy after the last epoch. */
  accuracy: number;
}

type Implementation = (epochs: number, batch: number) => Promise<EpochResult>;

/** The JavaScript implementations, each run in a child process of this script. */
const IMPLEMENTATIONS: Record<string, Implementation> = {
  typedlearn: (epochs, batch) => typedlearnEpochs('typedlearn', epochs, batch, 'auto', 1),
  'typedlearn-dense': (epochs, batch) =>
    typedlearnEpochs('typedlearn-dense', epochs, batch, 'dense', 1),
  'typedlearn-2-threads': (epochs, batch) =>
    typedlearnEpochs('typedlearn-2-threads', epochs, batch, 'auto', 2),
  'tfjs-cpu': tfjsEpochs,
};
const ALL_IMPLS = [...Object.keys(IMPLEMENTATIONS), 'scikit-learn'];

function mnistMatrices() {
  const { train, test } = loadMnist();
  return {
    X: toFloat01(flattenImages(train.images)),
    y: train.labels,
    Xtest: toFloat01(flattenImages(test.images)),
    ytest: test.labels,
  };
}

async function typedlearnEpochs(
  impl: string,
  epochs: number,
  batch: number,
  inputFormat: 'auto' | 'dense',
  threads: number,
): Promise<EpochResult> {
  const { X, y, Xtest, ytest } = mnistMatrices();
  const model = new MLPClassifier({
    hiddenLayers: [HIDDEN],
    solver: 'adam',
    learningRate: LEARNING_RATE,
    batchSize: batch,
    epochs,
    l2: 0,
    dropout: 0,
    lrSchedule: 'constant',
    inputFormat,
  });
  const ends: number[] = [];
  const start = performance.now();
  await model.fit(X, y, { threads, onProgress: () => ends.push(performance.now()) });
  const epochSeconds = ends.map((end, i) => (end - (i === 0 ? start : ends[i - 1])) / 1000);
  return { impl, epochSeconds, accuracy: model.score(Xtest, ytest) };
}

async function tfjsEpochs(epochs: number, batch: number): Promise<EpochResult> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const { X, y, Xtest, ytest } = mnistMatrices();
  const xs = tf.tensor2d(X.data, [y.length, 784]);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: HIDDEN, activation: 'relu', inputShape: [784] }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'categoricalCrossentropy' });
  const epochSeconds: number[] = [];
  let epochStart = 0;
  await model.fit(xs, ys, {
    batchSize: batch,
    epochs,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        epochStart = performance.now();
      },
      onEpochEnd: async () => {
        epochSeconds.push((performance.now() - epochStart) / 1000);
      },
    },
  });
  const predicted = (model.predict(tf.tensor2d(Xtest.data, [ytest.length, 784])) as typeof xs)
    .argMax(1)
    .dataSync();
  let correct = 0;
  for (let i = 0; i < ytest.length; i++) if (predicted[i] === ytest[i]) correct++;
  return { impl: 'tfjs-cpu', epochSeconds, accuracy: correct / ytest.length };
}

/** One run of `impl` for `epochs` epochs, in its own process. */
function runImplementation(impl: string, epochs: number, batch: number): EpochResult {
  const child =
    impl === 'scikit-learn'
      ? spawnSync(
          PYTHON,
          ['-c', SKLEARN_SCRIPT, mnistDataDirectory(), String(epochs), String(batch)],
          {
            encoding: 'utf8',
            env: {
              ...process.env,
              OMP_NUM_THREADS: '1',
              OPENBLAS_NUM_THREADS: '1',
              MKL_NUM_THREADS: '1',
            },
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        )
      : spawnSync(
          process.execPath,
          [
            ...process.execArgv,
            process.argv[1],
            '--child',
            impl,
            '--epochs',
            String(epochs),
            '--batch',
            String(batch),
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
        );
  if (child.status !== 0) throw new Error(`${impl} failed (exit ${child.status})`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as EpochResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      batch: { type: 'string', default: '200' },
      impls: { type: 'string', default: 'typedlearn,typedlearn-2-threads,scikit-learn,tfjs-cpu' },
      json: { type: 'string' },
      child: { type: 'string' },
    },
  });
  const epochs = Number(values.epochs);
  const batch = Number(values.batch);
  if (values.child !== undefined) {
    const result = await IMPLEMENTATIONS[values.child](epochs, batch);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const impls = (values.impls as string).split(',');
  for (const impl of impls) {
    if (!ALL_IMPLS.includes(impl)) {
      throw new Error(`unknown implementation '${impl}'; known: ${ALL_IMPLS.join(', ')}`);
    }
  }
  const runs = new Map<string, EpochResult[]>(impls.map((impl) => [impl, []]));
  const load = startLoadSampler();
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const impl of impls) {
      console.error(`round ${round}: ${impl}, ${epochs} epochs of batch ${batch}...`);
      runs.get(impl)!.push(runImplementation(impl, epochs, batch));
    }
  }
  const during = load.stop();
  const results = impls.map((impl) => {
    const epochSeconds = runs.get(impl)!.flatMap((run) => run.epochSeconds);
    return {
      impl,
      epochSeconds,
      medianEpochSeconds: median(epochSeconds),
      accuracy: median(runs.get(impl)!.map((run) => run.accuracy)),
    };
  });
  const medianOf = (impl: string) => results.find((r) => r.impl === impl)?.medianEpochSeconds;
  const ratio = (r: (typeof results)[number], baseline: number | undefined) =>
    baseline === undefined ? '' : `${(r.medianEpochSeconds / baseline).toFixed(3)}x`;
  console.log(
    `impl                   median epoch s   vs scikit-learn   vs tfjs-cpu   test accuracy (batch ${batch})`,
  );
  for (const r of results) {
    console.log(
      `${r.impl.padEnd(22)} ${r.medianEpochSeconds.toFixed(2).padStart(14)}   ` +
        `${ratio(r, medianOf('scikit-learn')).padStart(15)}   ${ratio(r, medianOf('tfjs-cpu')).padStart(11)}   ` +
        `${(100 * r.accuracy).toFixed(2)}%`,
    );
  }
  console.log(describeLoad(during));
  if (values.json !== undefined) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ batch, results, loadDuring: during }, null, 2)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
