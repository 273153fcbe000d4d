// Benchmark: PCA to 50 components on MNIST's 60000 x 784 training pixels (float32 / 255):
// fit time (covariance by GEMM + symmetric eigensolver), transform time, and peak RSS. Each
// measurement runs in its own child process; the baseline child prepares the same matrix but
// does not fit, so the difference is what PCA itself adds to the peak.
//
//   pnpm bench:data   (with flags: tsx --conditions=typedlearn-source benchmarks/src/pca.ts --runs N --components K --json FILE)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PCA, flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { median } from './median.js';

interface ChildResult {
  fitSeconds: number;
  transformSeconds: number;
  peakRssMB: number;
  explainedVarianceRatio: number;
}

const MB = 1e6;

function child(mode: 'fit' | 'baseline', components: number): void {
  const X = toFloat01(flattenImages(loadMnist().train.images));
  let fitSeconds = 0;
  let transformSeconds = 0;
  let explainedVarianceRatio = 0;
  if (mode === 'fit') {
    const start = performance.now();
    const pca = new PCA({ nComponents: components }).fit(X);
    fitSeconds = (performance.now() - start) / 1000;
    const transformStart = performance.now();
    pca.transform(X);
    transformSeconds = (performance.now() - transformStart) / 1000;
    explainedVarianceRatio = pca.explainedVarianceRatio.reduce((p, r) => p + r, 0);
  }
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  process.stdout.write(
    JSON.stringify({ fitSeconds, transformSeconds, peakRssMB, explainedVarianceRatio }),
  );
}

function runChild(mode: 'fit' | 'baseline', components: number): ChildResult {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1], '--child', mode, '--components', String(components)],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`child '${mode}' failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ChildResult;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      runs: { type: 'string', default: '1' },
      components: { type: 'string', default: '50' },
      json: { type: 'string' },
    },
  });
  const components = Number(values.components);
  if (values.child === 'fit' || values.child === 'baseline') {
    return child(values.child, components);
  }
  const runs = Number(values.runs);
  const fits: ChildResult[] = [];
  const baselines: ChildResult[] = [];
  for (let r = 0; r < runs; r++) {
    baselines.push(runChild('baseline', components));
    fits.push(runChild('fit', components));
  }
  const row = {
    benchmark: 'pca',
    rows: 60000,
    features: 784,
    components,
    runs,
    fitSeconds: median(fits.map((f) => f.fitSeconds)),
    transformSeconds: median(fits.map((f) => f.transformSeconds)),
    explainedVarianceRatio: fits[0].explainedVarianceRatio,
    dataPeakRssMB: median(baselines.map((b) => b.peakRssMB)),
    peakRssMB: median(fits.map((f) => f.peakRssMB)),
    addedPeakRssMB: median(fits.map((f, r) => f.peakRssMB - baselines[r].peakRssMB)),
  };
  console.log(
    `PCA to ${components} components on MNIST train (60000 x 784 float32), median of ${runs}`,
  );
  console.log(`  fit                  ${row.fitSeconds.toFixed(2)} s`);
  console.log(`  transform (60000)    ${row.transformSeconds.toFixed(2)} s`);
  console.log(`  variance explained   ${(100 * row.explainedVarianceRatio).toFixed(1)} %`);
  console.log(`  peak RSS, data only  ${row.dataPeakRssMB.toFixed(0)} MB`);
  console.log(
    `  peak RSS, with PCA   ${row.peakRssMB.toFixed(0)} MB (PCA adds ${row.addedPeakRssMB.toFixed(0)} MB)`,
  );
  if (values.json) writeFileSync(values.json, JSON.stringify([row], null, 2) + '\n');
}

main();
