// Benchmark: RandomForestClassifier against ml-random-forest (the ml.js peer) on the same
// MNIST subset and tree count, each library with its own defaults otherwise (see below).
// Every measurement runs in its own child process, alternating the two libraries, and the
// table reports medians and the ratio of the medians.
//
//   pnpm exec tsx --conditions=typedlearn-source benchmarks/src/forest-ml-random-forest.ts \
//     [--train-size 10000] [--test-size 10000] [--trees 100] [--runs 3]
//     [--peer-features sqrt|all] [--peer-timeout 600] [--json FILE]
//
// ml-random-forest's CART scores every candidate threshold by re-splitting the node's rows,
// so its fit grows much faster than linearly with the rows. A peer run still going after
// `--peer-timeout` seconds is stopped and reported as a lower bound ("> T s"), and the ratio
// as an upper bound.
//
// ml-random-forest draws one feature subset per tree (`maxFeatures`) where scikit-learn and
// typedlearn draw one per node. `--peer-features sqrt` (the default) gives each of its trees
// floor(sqrt(784)) = 28 pixels, the same count as our per-node draw, so both do comparable
// work per node; `--peer-features all` gives it every pixel (its own default), which took
// over 10 minutes for a single tree on 10k rows here.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { integerLabels, RandomForestClassifier } from '@typedlearn/classifiers';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { median } from './median.js';

type Library = 'typedlearn' | 'ml-random-forest';

interface Row {
  library: Library;
  /** True when the run was stopped at the timeout: fitSeconds is then a lower bound. */
  timedOut?: boolean;
  nTrain: number;
  nTest: number;
  trees: number;
  accuracy: number;
  fitSeconds: number;
  predictSeconds: number;
  peakRssMB: number;
}

const { values } = parseArgs({
  options: {
    'train-size': { type: 'string', default: '10000' },
    'test-size': { type: 'string', default: '10000' },
    trees: { type: 'string', default: '100' },
    'peer-features': { type: 'string', default: 'sqrt' },
    runs: { type: 'string', default: '3' },
    'peer-timeout': { type: 'string', default: '600' },
    json: { type: 'string' },
    child: { type: 'string' },
  },
});
const nTrain = Number(values['train-size']);
const nTest = Number(values['test-size']);
const trees = Number(values.trees);

async function child(library: Library): Promise<Row> {
  const { train, test } = loadMnist();
  const X = toFloat01(flattenImages(train.images).slice(0, nTrain));
  const y = train.labels.subarray(0, nTrain);
  const Xtest = toFloat01(flattenImages(test.images).slice(0, nTest));
  const yTest = test.labels.subarray(0, nTest);
  let predict: () => ArrayLike<number>;
  const fitStart = performance.now();
  if (library === 'typedlearn') {
    const forest = await new RandomForestClassifier({ nEstimators: trees }).fit(X, y, { seed: 0 });
    predict = () => integerLabels(forest.predict(Xtest));
  } else {
    const { RandomForestClassifier: MlForest } = await import('ml-random-forest');
    const rows = (t: typeof X, n: number) =>
      Array.from({ length: n }, (_, i) => Array.from(t.row(i).toTypedArray()));
    const nFeatures = X.shape[1];
    const maxFeatures =
      values['peer-features'] === 'all' ? nFeatures : Math.floor(Math.sqrt(nFeatures));
    const forest = new MlForest({ nEstimators: trees, maxFeatures, seed: 0, noOOB: true });
    forest.train(rows(X, nTrain), Array.from(y));
    const testRows = rows(Xtest, nTest);
    predict = () => forest.predict(testRows);
  }
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const predictStart = performance.now();
  const predicted = predict();
  const predictSeconds = (performance.now() - predictStart) / 1000;
  let correct = 0;
  for (let i = 0; i < nTest; i++) if (predicted[i] === yTest[i]) correct++;
  return {
    library,
    nTrain,
    nTest,
    trees,
    accuracy: correct / nTest,
    fitSeconds,
    predictSeconds,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
  };
}

function runChild(library: Library): Row {
  const args = [...process.execArgv, process.argv[1], ...process.argv.slice(2), '--child', library];
  const timeoutSeconds = Number(values['peer-timeout']);
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    timeout: library === 'ml-random-forest' ? timeoutSeconds * 1000 : undefined,
  });
  if (result.signal === 'SIGTERM' && library === 'ml-random-forest') {
    const nan = Number.NaN;
    return {
      library,
      timedOut: true,
      nTrain,
      nTest,
      trees,
      accuracy: nan,
      fitSeconds: timeoutSeconds,
      predictSeconds: nan,
      peakRssMB: nan,
    };
  }
  if (result.status !== 0) throw new Error(`${library} child failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() as string) as Row;
}

if (values.child !== undefined) {
  process.stdout.write(`${JSON.stringify(await child(values.child as Library))}\n`);
} else {
  const libraries: Library[] = ['typedlearn', 'ml-random-forest'];
  const rows: Row[] = [];
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (let run = 0; run < Number(values.runs); run++) {
    for (const library of libraries) {
      const row = runChild(library);
      rows.push(row);
      if (row.timedOut) {
        console.log(`run ${run + 1} ${library.padEnd(16)} fit > ${row.fitSeconds} s (stopped)`);
        continue;
      }
      console.log(
        `run ${run + 1} ${library.padEnd(16)} fit ${row.fitSeconds.toFixed(2)} s, predict ${row.predictSeconds.toFixed(2)} s, accuracy ${(100 * row.accuracy).toFixed(2)}%, peak RSS ${row.peakRssMB.toFixed(0)} MB`,
      );
    }
  }
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const summary = libraries.map((library) => {
    const mine = rows.filter((row) => row.library === library);
    return {
      library,
      fitSeconds: median(mine.map((r) => r.fitSeconds)),
      predictSeconds: median(mine.map((r) => r.predictSeconds)),
      accuracy: median(mine.map((r) => r.accuracy)),
      peakRssMB: median(mine.map((r) => r.peakRssMB)),
    };
  });
  console.log(`\nmedians, MNIST ${nTrain} train / ${nTest} test, ${trees} trees, 1 thread:`);
  console.table(summary);
  const [ours, peer] = summary;
  const bound = rows.some((row) => row.timedOut) ? '< ' : '';
  console.log(
    `fit time ratio typedlearn / ml-random-forest: ${bound}${(ours.fitSeconds / peer.fitSeconds).toPrecision(3)}; ` +
      `predict ratio: ${(ours.predictSeconds / peer.predictSeconds).toPrecision(3)}`,
  );
  if (values.json !== undefined)
    writeFileSync(values.json, JSON.stringify({ rows, summary }, null, 2));
}
