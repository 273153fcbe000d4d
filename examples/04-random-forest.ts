// 04 - A random forest: many decision trees, each grown on a bootstrap sample of the digits and
// choosing each split among a random sqrt(784) = 28 pixels; they vote by averaging their leaves'
// class shares. Trees split on binned pixel values (256 levels at most), found with histograms.
//
//   pnpm example 04 [--small]
import { integerLabels, RandomForestClassifier } from '@typedlearn/classifiers';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { SMALL, THREADS, writeOutput } from './lib/example.js';
import { printEvaluation, printProgress, secondsSince } from './lib/printing.js';
import { digitGridPng } from './lib/pictures.js';

const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [2000, 500] : [60_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
console.log(`Random forest on ${XTrain.shape[0]} training digits, tested on ${XTest.shape[0]}.`);

// oobScore: each tree did not see about 1/e = 37% of the digits (those left out of its
// bootstrap sample); voting only those trees on them gives a free estimate of test accuracy.
const forest = new RandomForestClassifier({ nEstimators: SMALL ? 30 : 100, oobScore: true });
console.log(`hyper-parameters: ${JSON.stringify(forest.params)}\n`);

let start = performance.now();
await forest.fit(XTrain, yTrain, { threads: THREADS, seed: 0, onProgress: printProgress() });
console.log(
  `fitted ${forest.params.nEstimators} trees (${forest.nodeCount} nodes) in ${secondsSince(start)}`,
);
console.log(`out-of-bag accuracy estimate: ${(100 * (forest.outOfBagScore ?? NaN)).toFixed(2)}%`);

start = performance.now();
const predicted = integerLabels(forest.predict(XTest));
console.log(`predicted ${XTest.shape[0]} digits in ${secondsSince(start)}\n`);
// How good it is, as example 02 shows step by step: accuracy, precision, recall and F1 per
// digit, and which digits it confuses.
await printEvaluation('Random forest', '04-random-forest', yTest, predicted);

// Which pixels the trees found useful: the mean decrease in impurity of each pixel, as an image.
// The centre of the field matters; the never-inked border gets exactly zero.
const importances = forest.featureImportances;
await writeOutput('04-feature-importances.png', digitGridPng([importances], { scale: 8 }));

// How sure the forest is: the share of trees' votes for the predicted digit, right vs wrong.
const proba = forest.predictProba(XTest).data;
const confidence = [0, 0];
const count = [0, 0];
for (let i = 0; i < predicted.length; i++) {
  const right = predicted[i] === yTest[i] ? 0 : 1;
  confidence[right] += proba[i * 10 + predicted[i]];
  count[right]++;
}
const meanConfidence = confidence.map((c, k) => (count[k] === 0 ? NaN : c / count[k]));
console.log(
  `mean probability of the predicted digit: ${meanConfidence[0].toFixed(3)} when right, ${meanConfidence[1].toFixed(3)} when wrong`,
);
