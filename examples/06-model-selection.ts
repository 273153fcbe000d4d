// 06 - Choosing hyper-parameters honestly: k-fold cross-validation estimates how a setting will
// do on unseen digits using only the training set, and a grid search picks the best setting
// that way. The test set is touched once, at the very end.
//
//   pnpm example 06 [--small]
import { RandomForestClassifier, SVC, type SvcOptions } from '@typedlearn/classifiers';
import { GridSearch, crossValScore } from '@typedlearn/classifiers/model-selection';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { perClassBarChartSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { SMALL, writeOutput } from './lib/example.js';
import { printAccuracy, secondsSince } from './lib/printing.js';

const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [600, 300] : [5000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

// 1. Cross-validation of one model: 5 stratified folds, each fitted on the other 4.
const nTrees = SMALL ? 10 : 50;
console.log(
  `5-fold cross-validation of a ${nTrees}-tree random forest on ${XTrain.shape[0]} digits:`,
);
let start = performance.now();
const cv = await crossValScore(
  () => new RandomForestClassifier({ nEstimators: nTrees }),
  XTrain,
  yTrain,
  {
    cv: 5,
    shuffle: true,
    seed: 0,
  },
);
console.log(`  fold accuracies ${cv.scores.map(percent).join(', ')}`);
console.log(`  mean ${percent(cv.mean)} +- ${percent(cv.std)} (${secondsSince(start)})\n`);

// 2. Grid search over the SVC's C and gamma: every combination is cross-validated on the same
//    3 folds, ranked by mean accuracy, and the best is refitted on all the training digits.
const grid = {
  C: SMALL ? [1, 10] : [1, 5, 10],
  gamma: (SMALL ? ['scale'] : ['scale', 0.01, 0.05]) as SvcOptions['gamma'][],
};
const search = new GridSearch((params: Pick<SvcOptions, 'C' | 'gamma'>) => new SVC(params), grid, {
  cv: 3,
});
console.log(`Grid search over ${search.candidates.length} SVC settings x 3 folds:`);
start = performance.now();
await search.fit(XTrain, yTrain, {
  onProgress: ({ stage, step, total }) =>
    stage === 'refit' && console.log(`  refit (${step}/${total} fits)`),
});
console.log(`  searched in ${secondsSince(start)}`);
console.log('  rank  C     gamma   mean accuracy   std     fit s/fold');
for (const row of search.results) {
  const { C, gamma } = row.params;
  console.log(
    `  ${String(row.rank).padStart(4)}  ${String(C).padEnd(5)} ${String(gamma).padEnd(7)} ${percent(row.meanScore).padStart(13)}   ${percent(row.stdScore).padStart(6)}  ${row.meanFitSeconds.toFixed(2).padStart(6)}`,
  );
}
console.log(
  `best: ${JSON.stringify(search.bestParams)} with ${percent(search.bestScore)} in cross-validation`,
);

// 3. Only now, the test set: one number for the chosen model.
printAccuracy(search.bestEstimator.score(XTest, yTest), XTest.shape[0]);

console.log('\nPictures:');
const names = search.results.map(({ params }) => `C=${params.C}, gamma=${params.gamma}`);
const chart = await perClassBarChartSvg(
  { 'Mean CV accuracy': search.results.map((row) => row.meanScore) },
  { labels: names, title: 'Grid search: SVC settings', valueTitle: 'Accuracy', groupWidth: 90 },
);
await writeOutput('06-grid-search.png', await svgToPng(chart));
