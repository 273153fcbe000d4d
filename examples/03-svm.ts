// 03 - A kernel support vector machine (SVC with an RBF kernel), the most accurate classic model
// on MNIST. Training solves one quadratic program per pair of digits (45 of them) with SMO, so
// its cost grows faster than linearly with the training set: this example uses 10,000 digits.
//
//   pnpm example 03 [--small]
import { SVC } from '@typedlearn/classifiers';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { SMALL, THREADS } from './lib/example.js';
import { printEvaluation, printProgress, secondsSince } from './lib/printing.js';

const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [800, 300] : [10_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
console.log(`SVC on ${XTrain.shape[0]} training digits, tested on ${XTest.shape[0]}.`);

// C = 5 trades a little margin for fewer training errors; gamma 'scale' = 1 / (784 * Var(X))
// sets the RBF kernel's width from the data. These are the settings of the benchmarks.
const svc = new SVC({ C: 5, gamma: 'scale' });
console.log(`hyper-parameters: ${JSON.stringify(svc.params)}\n`);

let start = performance.now();
await svc.fit(XTrain, yTrain, { threads: THREADS, onProgress: printProgress() });
console.log(`fitted in ${secondsSince(start)}`);

// The model is its support vectors: the training digits on or inside the margin. The fewer
// there are, the faster prediction is (each test digit is compared with every one).
const nSV = svc.supportVectors.shape[0];
console.log(
  `${nSV} support vectors (${((100 * nSV) / XTrain.shape[0]).toFixed(1)}% of the training digits), per class: ${Array.from(svc.nSupport).join(' ')}`,
);

start = performance.now();
const predicted = svc.predict(XTest);
console.log(`predicted ${XTest.shape[0]} digits in ${secondsSince(start)}\n`);
// How good it is, as example 02 shows step by step: accuracy, precision, recall and F1 per
// digit, and which digits it confuses.
await printEvaluation('SVC (RBF, C = 5)', '03-svm', yTest, predicted);
