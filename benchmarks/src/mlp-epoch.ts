// One MLP training epoch on MNIST, typedlearn against @tensorflow/tfjs's pure-JS CPU backend,
// with the same network (784-128-10, ReLU, softmax cross-entropy), optimiser (Adam, lr 0.001),
// batch size (128) and data (60,000 images, pixels / 255), each implementation in its own
// child process. Reports the median epoch time over --epochs epochs and its ratio to tfjs's.
//
//   pnpm exec tsx --conditions=typedlearn-source benchmarks/src/mlp-epoch.ts [--epochs 3] [--json FILE]
//       [--impls typedlearn,typedlearn-dense,typedlearn-2-threads,tfjs-cpu]
//
// `typedlearn-dense` forces the GEMM first layer instead of the sparse one, which shows what
// exploiting MNIST's ~81% zero pixels is worth.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MLPClassifier } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { median } from './median.js';

const HIDDEN = 128;
const BATCH = 128;
const LEARNING_RATE = 0.001;

interface EpochResult {
  impl: string;
  /** Wall-clock seconds of each epoch. */
  epochSeconds: number[];
  /** Test accuracy after the last epoch. */
  accuracy: number;
}

const IMPLEMENTATIONS: Record<string, (epochs: number) => Promise<EpochResult>> = {
  typedlearn: (epochs) => typedlearnEpochs('typedlearn', epochs, 'auto', 1),
  'typedlearn-dense': (epochs) => typedlearnEpochs('typedlearn-dense', epochs, 'dense', 1),
  'typedlearn-2-threads': (epochs) => typedlearnEpochs('typedlearn-2-threads', epochs, 'auto', 2),
  'tfjs-cpu': tfjsEpochs,
};

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
  inputFormat: 'auto' | 'dense',
  threads: number,
): Promise<EpochResult> {
  const { X, y, Xtest, ytest } = mnistMatrices();
  const model = new MLPClassifier({
    hiddenLayers: [HIDDEN],
    solver: 'adam',
    learningRate: LEARNING_RATE,
    batchSize: BATCH,
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

async function tfjsEpochs(epochs: number): Promise<EpochResult> {
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
    batchSize: BATCH,
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '3' },
      impls: { type: 'string', default: Object.keys(IMPLEMENTATIONS).join(',') },
      json: { type: 'string' },
      child: { type: 'string' },
    },
  });
  const epochs = Number(values.epochs);
  if (values.child !== undefined) {
    const result = await IMPLEMENTATIONS[values.child](epochs);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const impls = (values.impls as string).split(',');
  for (const impl of impls) {
    if (!(impl in IMPLEMENTATIONS)) {
      throw new Error(`unknown implementation '${impl}'; known: ${Object.keys(IMPLEMENTATIONS)}`);
    }
  }
  const results: (EpochResult & { medianEpochSeconds: number })[] = [];
  for (const impl of impls) {
    console.error(`${impl}: ${epochs} epochs...`);
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1], '--child', impl, '--epochs', String(epochs)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) throw new Error(`${impl} failed (exit ${child.status})`);
    const lines = child.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]) as EpochResult;
    results.push({ ...result, medianEpochSeconds: median(result.epochSeconds) });
  }
  const baseline = results.find((r) => r.impl === 'tfjs-cpu')?.medianEpochSeconds;
  console.log(
    'impl                   median epoch s   vs tfjs-cpu   epochs (s)            test accuracy',
  );
  for (const r of results) {
    const ratio = baseline === undefined ? '' : `${(r.medianEpochSeconds / baseline).toFixed(3)}x`;
    console.log(
      `${r.impl.padEnd(22)} ${r.medianEpochSeconds.toFixed(2).padStart(14)}   ${ratio.padStart(11)}   ` +
        `${r.epochSeconds
          .map((s) => s.toFixed(2))
          .join(', ')
          .padEnd(20)}  ${(100 * r.accuracy).toFixed(2)}%`,
    );
  }
  if (values.json !== undefined)
    writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
