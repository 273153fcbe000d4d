// Benchmark: how long loading both MNIST sets takes, and how much it adds to a bare Node
// process's peak RSS. Every measurement runs in its own child process, so each peak belongs to
// that run alone; the baseline child imports the same modules but loads nothing.
//
//   pnpm bench:data   (with flags: tsx --conditions=typedlearn-source benchmarks/src/load-mnist.ts --runs N --json FILE)
//
// Targets (issue "MNIST data and preprocessing"): <= 1 s, and <= 2x the raw bytes (~55 MB).
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IDX_DATASET_FILES, loadMnist, mnistDataDirectory } from '@typedlearn/data/node';
import { median } from './median.js';

interface ChildResult {
  seconds: number;
  peakRssMB: number;
}

const MB = 1e6;

function child(mode: 'load' | 'baseline'): void {
  const start = performance.now();
  let images = 0;
  if (mode === 'load') {
    const { train, test } = loadMnist();
    images = train.images.shape[0] + test.images.shape[0];
  }
  const seconds = (performance.now() - start) / 1000;
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  process.stdout.write(JSON.stringify({ seconds, peakRssMB, images }));
}

function runChild(mode: 'load' | 'baseline'): ChildResult {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1], '--child', mode],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`child '${mode}' failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ChildResult;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      runs: { type: 'string', default: '5' },
      json: { type: 'string' },
    },
  });
  if (values.child === 'load' || values.child === 'baseline') return child(values.child);

  const runs = Number(values.runs);
  const dir = mnistDataDirectory();
  const rawBytes = Object.values(IDX_DATASET_FILES).reduce(
    (total, name) => total + statSync(join(dir, name)).size,
    0,
  );
  const loads: ChildResult[] = [];
  const baselines: ChildResult[] = [];
  for (let r = 0; r < runs; r++) {
    baselines.push(runChild('baseline'));
    loads.push(runChild('load'));
  }
  const row = {
    benchmark: 'load-mnist',
    runs,
    rawMB: rawBytes / MB,
    loadSeconds: median(loads.map((l) => l.seconds)),
    baselinePeakRssMB: median(baselines.map((b) => b.peakRssMB)),
    loadPeakRssMB: median(loads.map((l) => l.peakRssMB)),
    addedPeakRssMB: median(loads.map((l, r) => l.peakRssMB - baselines[r].peakRssMB)),
  };
  const ratio = row.addedPeakRssMB / row.rawMB;
  console.log(`MNIST load (train 60000 + test 10000), median of ${runs} child processes`);
  console.log(`  raw IDX bytes        ${row.rawMB.toFixed(1)} MB`);
  console.log(`  load time            ${row.loadSeconds.toFixed(3)} s   (target <= 1 s)`);
  console.log(`  bare process peak    ${row.baselinePeakRssMB.toFixed(1)} MB`);
  console.log(`  loading process peak ${row.loadPeakRssMB.toFixed(1)} MB`);
  console.log(
    `  added peak RSS       ${row.addedPeakRssMB.toFixed(1)} MB = ${ratio.toFixed(2)}x the raw bytes   (target <= 2x)`,
  );
  if (values.json) writeFileSync(values.json, JSON.stringify([row], null, 2) + '\n');
}

main();
