/**
 * `pnpm bench:micro`: tinybench micro-benchmarks of the hot kernels on MNIST rows, reported as
 * medians (tinybench's p50 latency over its samples):
 *
 * - SVM kernel rows: RBF kernel values of 1 and of 8 query rows against 5,000 training rows
 *   (`kernelRows`, the inner loop of SMO when the kernel cache misses);
 * - forest histogram split scan: the best split of a 5,000-sample root node over all 784
 *   features (`HistogramSplitter.findBestSplit`: histogram per feature, then the bin sweep);
 * - softmax: `softmaxRows` in place and the fused `softmaxCrossEntropy` on 10,000 x 10 logits;
 * - MLP epoch: one epoch of `MLPClassifier` (784-128-10, Adam, batch 128) on 5,000 rows.
 *
 *   pnpm bench:micro [--time 2000] [--json FILE]
 *
 * The machine is shared: compare figures measured in the same run, not across runs.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { MLPClassifier } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { Rng, allocate, softmaxCrossEntropy, softmaxRows } from '@typedlearn/tensor';
import { binFeatures } from '../../packages/classifiers/src/forest/feature-binning.js';
import { HistogramSplitter } from '../../packages/classifiers/src/forest/histogram-splitter.js';
import { toFeatureRows } from '../../packages/classifiers/src/svm/feature-rows.js';
import { scaleGamma } from '../../packages/classifiers/src/svm/kernel.js';
import { KernelRowsScratch, kernelRows } from '../../packages/classifiers/src/svm/kernel-rows.js';

const { values } = parseArgs({
  options: { time: { type: 'string', default: '2000' }, json: { type: 'string' } },
});
const N = 5000;
const { train } = loadMnist();
const X = toFloat01(flattenImages(train.images.slice(0, N)));
const y = train.labels.slice(0, N);
const data = X.data as Float32Array;

// Kernel rows: the training rows as the SVM stores them (sparse when most pixels are 0).
const rows = toFeatureRows(X);
const kernel = { name: 'rbf' as const, gamma: scaleGamma(X), degree: 3, coef0: 0 };
const targets = Int32Array.from({ length: N }, (_, i) => i);
const queries = Int32Array.from({ length: 8 }, (_, i) => 100 * i);
const scratch = new KernelRowsScratch(784, N);

// Histogram split scan: the root node of a tree on every sample, every feature examined.
const binned = binFeatures(data, N, 784, 256, allocate);
const splitter = new HistogramSplitter(
  binned,
  y,
  10,
  null,
  null,
  { criterion: 'gini', minSamplesLeaf: 1, maxFeatures: 784 },
  new Rng(0),
);
const totals = new Float64Array(10);
splitter.addClassTotals(0, N, totals);

// Softmax on 10,000 x 10 logits.
const rng = new Rng(0);
const logits = Float32Array.from({ length: 100_000 }, () => 4 * rng.normal());
const work = new Float32Array(logits.length);
const labels = Int32Array.from({ length: 10_000 }, () => rng.int(10));
const gradient = new Float64Array(logits.length);

// At least 5 samples each, then as many as fit in --time (an MLP epoch takes seconds).
const bench = new Bench({
  time: Number(values.time),
  iterations: 5,
  warmupTime: 200,
  warmupIterations: 1,
  throws: true,
});
bench
  .add('kernel rows: 1 query x 5000 rows', () =>
    kernelRows(kernel, rows, queries, 1, rows, targets, 0, N, scratch),
  )
  .add('kernel rows: 8 queries x 5000 rows', () =>
    kernelRows(kernel, rows, queries, 8, rows, targets, 0, N, scratch),
  )
  .add('histogram split scan: 5000 samples x 784 features', () =>
    splitter.findBestSplit(0, N, totals, N, 0),
  )
  .add('softmaxRows: 10000 x 10', () => {
    work.set(logits);
    softmaxRows(work, 10_000, 10);
  })
  .add('softmaxCrossEntropy: 10000 x 10', () =>
    softmaxCrossEntropy(logits, labels, 10_000, 10, 1 / 10_000, gradient),
  )
  .add('MLP epoch: 5000 rows, 784-128-10', async () => {
    const mlp = new MLPClassifier({ hiddenLayers: [128], epochs: 1, dropout: 0 });
    await mlp.fit(X, y, { seed: 0 });
  });

console.error(`measuring for about ${values.time} ms per task...`);
await bench.run();
const results = bench.tasks.map((task) => {
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${task.name} did not complete`);
  return {
    name: task.name,
    medianMs: result.latency.p50 ?? NaN,
    samples: result.latency.samplesCount,
  };
});
console.table(
  results.map((r) => ({ task: r.name, 'median ms': r.medianMs.toFixed(3), samples: r.samples })),
);
if (values.json !== undefined) {
  writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`wrote ${values.json}`);
}
