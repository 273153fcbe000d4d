// Benchmark: the cost of one kernel value in SVC's kernel rows (RBF), by row layout (sparse CSR
// or dense) and by how many query rows share a pass over the targets (1, 2, 4, 8), on MNIST
// training rows (pixels / 255, about 19% non-zero) and on the same rows made denser (zero pixels
// set to 1e-3 at random until the wanted density). This is what SPARSE_DENSITY_LIMIT and
// BLOCK_ROWS in packages/classifiers/src/svm rest on. Rounds are interleaved; medians of CPU time.
//
//   tsx --conditions=typedlearn-source benchmarks/src/svm-kernel-rows.ts [--rows 6000] [--rounds 5] [--json FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng, Tensor } from '@typedlearn/tensor';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { toFeatureRows } from '../../packages/classifiers/src/svm/feature-rows.js';
import { KernelRowsScratch, kernelRows } from '../../packages/classifiers/src/svm/kernel-rows.js';

interface Row {
  density: number;
  layout: 'sparse' | 'dense';
  queries: number;
  nsPerValue: number;
}

/** X with zero entries set to 1e-3 at random until `density` of all entries are non-zero. */
function densify(X: Tensor, density: number, rng: Rng): Tensor {
  const data = Float32Array.from(X.data);
  let nonZero = data.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
  const wanted = Math.round(density * data.length);
  while (nonZero < wanted) {
    const i = rng.int(data.length);
    if (data[i] === 0) {
      data[i] = 1e-3;
      nonZero++;
    }
  }
  return new Tensor(data, X.shape);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '6000' },
      rounds: { type: 'string', default: '5' },
      json: { type: 'string' },
    },
  });
  const n = Number(values.rows);
  const rounds = Number(values.rounds);
  const pixels = toFloat01(flattenImages(loadMnist().train.images).slice(0, n));
  const mnistDensity = pixels.data.reduce((k, v) => k + (v !== 0 ? 1 : 0), 0) / pixels.size;
  const kernel = { name: 'rbf' as const, gamma: 0.0335, degree: 3, coef0: 0 };
  const targets = Int32Array.from({ length: n }, (_, i) => i);
  const scratch = new KernelRowsScratch(784, n);
  const rng = new Rng(0);
  const results: Row[] = [];
  for (const density of [mnistDensity, 0.3, 0.5]) {
    const X = density === mnistDensity ? pixels : densify(pixels, density, rng);
    const layouts = {
      sparse: toFeatureRows(X, { layout: 'sparse' }),
      dense: toFeatureRows(X, { layout: 'dense' }),
    };
    const samples = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [layout, rows] of Object.entries(layouts)) {
        for (const count of [1, 2, 4, 8]) {
          const passes = Math.ceil(32 / count);
          const queries = new Int32Array(count);
          const start = process.cpuUsage();
          for (let pass = 0; pass < passes; pass++) {
            for (let r = 0; r < count; r++) queries[r] = (pass * 97 + r * 13) % n;
            kernelRows(kernel, rows, queries, count, rows, targets, 0, n, scratch);
          }
          const used = process.cpuUsage(start);
          const ns = ((used.user + used.system) * 1000) / (passes * count * n);
          const key = `${layout}/${count}`;
          samples.set(key, [...(samples.get(key) ?? []), ns]);
        }
      }
    }
    for (const [key, list] of samples) {
      const [layout, count] = key.split('/');
      const sorted = [...list].sort((a, b) => a - b);
      results.push({
        density,
        layout: layout as Row['layout'],
        queries: Number(count),
        nsPerValue: sorted[sorted.length >> 1],
      });
    }
  }
  console.log(
    `RBF kernel values against ${n} MNIST rows (784 features), median of ${rounds} rounds`,
  );
  console.table(
    results.map((r) => ({
      'non-zero': `${(100 * r.density).toFixed(0)}%`,
      layout: r.layout,
      'queries per pass': r.queries,
      'ns per kernel value': r.nsPerValue.toFixed(0),
    })),
  );
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
}

main();
