// Model selection for the deskewed SVC: k-fold cross-validation, on the 60,000 MNIST training
// digits only, of Deskew -> PCA -> SVC over a grid of C and of gamma as multiples of 'scale'
// (1 / (n_features * Var(X)) of each fold's PCA output), as scikit-learn's GridSearchCV would
// do it. Folds are contiguous (KFold without shuffling); PCA is fitted on each fold's training
// part. With `--test`, the setting with the fewest cross-validation errors is then fitted on
// all 60,000 digits in a Pipeline and scored once on the 10,000 test digits.
//
//   pnpm exec tsx --conditions=typedlearn-source benchmarks/src/svm-deskew-cv.ts \
//     [--C 5,10] [--gamma-scale 1,1.25,1.5,2] [--pca 80] [--folds 6] [--threads 2] [--test]
import { parseArgs } from 'node:util';
import { scaleGamma, SVC } from '@typedlearn/classifiers';
import {
  Deskew,
  flattenImages,
  KFold,
  PCA,
  Pipeline,
  takeLabels,
  takeRows,
  toFloat01,
} from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';

const { values } = parseArgs({
  options: {
    C: { type: 'string', default: '5,10' },
    'gamma-scale': { type: 'string', default: '1,1.25,1.5,2' },
    pca: { type: 'string', default: '80' },
    folds: { type: 'string', default: '6' },
    threads: { type: 'string', default: '2' },
    test: { type: 'boolean', default: false },
  },
});
const list = (text: string) => text.split(',').map(Number);
const nComponents = Number(values.pca);
const threads = Number(values.threads);

const { train, test } = loadMnist();
const deskewed = new Deskew().fitTransform(toFloat01(flattenImages(train.images)));
const grid = list(values.C).flatMap((C) => list(values['gamma-scale']).map((g) => ({ C, g })));
const errors = grid.map(() => [] as number[]);
const folds = new KFold({ nSplits: Number(values.folds) }).split(train.labels.length);
for (const [f, fold] of folds.entries()) {
  const pca = new PCA({ nComponents });
  const X = pca.fitTransform(takeRows(deskewed, fold.train));
  const Xval = pca.transform(takeRows(deskewed, fold.test));
  const y = takeLabels(train.labels, fold.train);
  const yVal = takeLabels(train.labels, fold.test);
  const scale = scaleGamma(X);
  for (const [s, { C, g }] of grid.entries()) {
    const start = performance.now();
    const svc = await new SVC({ C, gamma: g * scale, cacheBytes: 1e9 }).fit(X, y, { threads });
    const wrong = Array.from(svc.predict(Xval)).filter((label, i) => label !== yVal[i]).length;
    errors[s].push(wrong);
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    console.log(`fold ${f}: C=${C}, gamma=${g} x scale: ${wrong} errors (${seconds} s)`);
  }
}

const total = (e: number[]) => e.reduce((a, b) => a + b, 0);
const rows = grid.map(({ C, g }, s) => ({
  C,
  gammaTimesScale: g,
  foldErrors: errors[s].join(' '),
  errors: total(errors[s]),
  accuracy: `${(100 * (1 - total(errors[s]) / train.labels.length)).toFixed(3)}%`,
}));
console.log(`\n${folds.length}-fold cross-validation on the training digits, PCA ${nComponents}:`);
console.table(rows);
const best = rows.reduce((a, b) => (b.errors < a.errors ? b : a));
console.log(`fewest errors: C=${best.C}, gamma = ${best.gammaTimesScale} x scale`);

if (values.test) {
  const X = toFloat01(flattenImages(train.images));
  const gamma = best.gammaTimesScale * scaleGamma(new PCA({ nComponents }).fitTransform(deskewed));
  const pipeline = new Pipeline(
    [new Deskew(), new PCA({ nComponents })],
    new SVC({ C: best.C, gamma, cacheBytes: 1e9 }),
  );
  await pipeline.fit(X, train.labels, { threads });
  const accuracy = pipeline.score(toFloat01(flattenImages(test.images)), test.labels);
  console.log(`test accuracy, fitted on all 60,000 (gamma ${gamma.toFixed(4)}): ${accuracy}`);
}
