// 05 - A multi-layer perceptron: 784 pixels -> 256 ReLU units -> 10 softmax outputs, trained
// by backpropagation and Adam on mini-batches of 128 digits, with dropout and weight decay
// against overfitting. A tenth of the training digits is held out to watch validation
// accuracy after every epoch.
//
//   pnpm example 05 [--small]
import { MLPClassifier } from '@typedlearn/classifiers';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { lineChartSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { SMALL, THREADS, writeOutput } from './lib/example.js';
import { printEvaluation, printProgress, secondsSince } from './lib/printing.js';

const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [1000, 300] : [60_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
console.log(`MLP on ${XTrain.shape[0]} training digits, tested on ${XTest.shape[0]}.`);

const mlp = new MLPClassifier({
  hiddenLayers: [256],
  epochs: SMALL ? 8 : 15,
  batchSize: 128,
  learningRate: 1e-3, // Adam's step size, lowered along a cosine over the epochs
  dropout: 0.2, // each hidden unit is dropped with this probability while training
  validationFraction: 0.1,
});
console.log(`hyper-parameters: ${JSON.stringify(mlp.params)}\n`);

let start = performance.now();
await mlp.fit(XTrain, yTrain, { seed: 0, threads: THREADS, onProgress: printProgress() });
console.log(`fitted in ${secondsSince(start)}`);
const { history } = mlp.info;
console.log('epoch   loss     train acc   validation acc');
for (const { epoch, loss, trainAccuracy, validationAccuracy } of history) {
  const validation =
    validationAccuracy === undefined ? '' : `${(100 * validationAccuracy).toFixed(2)}%`;
  console.log(
    `  ${String(epoch).padStart(3)}   ${loss.toFixed(4)}   ${(100 * trainAccuracy).toFixed(2).padStart(6)}%     ${validation}`,
  );
}

start = performance.now();
const predicted = mlp.predict(XTest);
console.log(`predicted ${XTest.shape[0]} digits in ${secondsSince(start)}\n`);
// How good it is, as example 02 shows step by step: accuracy, precision, recall and F1 per
// digit, and which digits it confuses.
await printEvaluation('MLP 784-256-10', '05-mlp', yTest, predicted);

// Learning curves: accuracy on the batches as trained (with dropout) and on held-out digits
// (a series of NaN, when nothing was held out, is left out of the chart).
const curves = await lineChartSvg(
  {
    Training: history.map((h) => h.trainAccuracy),
    Validation: history.map((h) => h.validationAccuracy ?? NaN),
  },
  { title: 'MLP learning curves', xTitle: 'Epoch', yTitle: 'Accuracy' },
);
await writeOutput('05-mlp-learning-curves.png', await svgToPng(curves));
