// One JavaScript run of bench:peers, in its own process so that its peak RSS is its own:
//
//   node --conditions=typedlearn-source --import tsx benchmarks/src/peers/child.ts '<RunSpec JSON>'
//
// Loads the rows, converts them to the library's format, fits (timed), predicts the test rows
// (timed) and prints one JSON line.
import { loadPeerData, type PrepareRun } from './data.js';
import type { Impl, RunResult, RunSpec } from './runs.js';

/** Each library is imported only by its own runs, so it adds nothing to the others' memory. */
const RUNNERS: Record<Exclude<Impl, 'scikit-learn'>, () => Promise<PrepareRun>> = {
  typedlearn: async () => (await import('./typedlearn-run.js')).prepareTypedlearn,
  'tfjs-cpu': async () => (await import('./tfjs-run.js')).prepareTfjs,
  'libsvm-js': async () => (await import('./libsvm-run.js')).prepareLibsvm,
  'ml-random-forest': async () => (await import('./ml-random-forest-run.js')).prepareMlRandomForest,
  convnetjs: async () => (await import('./convnetjs-run.js')).prepareConvnetjs,
  'tfjs-wasm': async () => {
    throw new Error('tfjs-wasm is measured in the tfjs-cpu run (RunSpec.measuredBy)');
  },
};

const spec = JSON.parse(process.argv[2]) as RunSpec;
if (spec.impl === 'scikit-learn') throw new Error('scikit-learn runs in Python: sklearn_peer.py');
const prepare = await RUNNERS[spec.impl]();
const data = loadPeerData(spec);
const run = await prepare(spec, data);

let start = performance.now();
await run.fit();
const fitSeconds = (performance.now() - start) / 1000;
start = performance.now();
const predicted = run.predict();
const predictSeconds = (performance.now() - start) / 1000;

const accuracy = (labels: ArrayLike<number>) => {
  let correct = 0;
  for (let i = 0; i < data.yTest.length; i++) if (labels[i] === data.yTest[i]) correct++;
  return correct / data.yTest.length;
};
const result: RunResult = {
  key: spec.key,
  fitSeconds,
  predictSeconds,
  accuracy: accuracy(predicted),
  peakRssMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
};
if (run.alsoPredict) {
  // After the peak RSS of this run is taken: the extra prediction is not this run's memory. Its
  // failure does not fail this run; the parent reports it as not reported.
  try {
    await run.alsoPredict.prepare();
    start = performance.now();
    const labels = run.alsoPredict.predict();
    const seconds = (performance.now() - start) / 1000;
    result.also = [
      { key: run.alsoPredict.key, predictSeconds: seconds, accuracy: accuracy(labels) },
    ];
  } catch (error) {
    process.stderr.write(`${run.alsoPredict.key} failed: ${String(error)}\n`);
  }
}
// The last line of stdout is the result (libsvm-js may print its own lines before it).
process.stdout.write(`\n${JSON.stringify(result)}\n`);
