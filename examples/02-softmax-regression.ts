// 02 - Softmax regression (multinomial logistic regression): one linear score per digit,
// w_k . x + b_k, turned into probabilities by the softmax. Training minimises the
// cross-entropy plus an L2 penalty, C * sum_i -log p(y_i | x_i) + ||W||^2 / 2, with L-BFGS.
// A linear model, so each class's weights can be drawn as a 28 x 28 picture.
//
//   pnpm example 02 [--small]
import { SoftmaxRegression } from '@typedlearn/classifiers';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import {
  accuracy,
  classificationReport,
  confusionMatrix,
  formatConfusionMatrix,
} from '@typedlearn/metrics';
import { confusionMatrixSvg, lineChartSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { SMALL, writeOutput } from './lib/example.js';
import { printAccuracy, printProgress, secondsSince } from './lib/printing.js';
import { digitGridPng } from './lib/pictures.js';

// MNIST as pixel rows: each 28 x 28 image flattened to 784 floats in [0, 1], and its label.
const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [1000, 300] : [60_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
console.log(
  `Softmax regression on ${XTrain.shape[0]} training digits, tested on ${XTest.shape[0]}.`,
);

// C = 1 is scikit-learn's default; maxIter caps the L-BFGS iterations (each one is a pass over
// the data for the loss and gradient, plus line-search steps when needed).
const model = new SoftmaxRegression({ C: 1, maxIter: SMALL ? 50 : 100 });
console.log(`hyper-parameters: ${JSON.stringify(model.params)}\n`);

let start = performance.now();
await model.fit(XTrain, yTrain, { onProgress: printProgress() });
const { info } = model;
console.log(
  `fitted in ${secondsSince(start)}: ${info.iterations} iterations, stopped by '${info.stopReason}'`,
);

start = performance.now();
const predicted = model.predict(XTest);
console.log(`predicted ${XTest.shape[0]} digits in ${secondsSince(start)}\n`);
// How good it is: accuracy, precision, recall and F1 per digit, and which digits it confuses.
const matrix = confusionMatrix(yTest, predicted);
printAccuracy(accuracy(yTest, predicted), yTest.length);
console.log(`\n${classificationReport(yTest, predicted, { digits: 3 })}`);
console.log('Confusion matrix (rows: true digit, columns: predicted digit):');
console.log(formatConfusionMatrix(matrix));

console.log('\nPictures:');
const matrixSvg = await confusionMatrixSvg(matrix, { title: 'Softmax regression: test digits' });
await writeOutput('02-softmax-confusion-matrix.png', await svgToPng(matrixSvg));

// The weights: coef is [10, 784]; row k, drawn as an image, shows which pixels vote for digit
// k (light) and which against it (dark). They look like blurred templates of the digits.
const coef = model.coef.data;
const weightImages = Array.from({ length: 10 }, (_, k) => coef.subarray(k * 784, (k + 1) * 784));
await writeOutput('02-softmax-weights.png', digitGridPng(weightImages, { columns: 10 }));

// The learning curve: the objective after each L-BFGS iteration.
const curve = await lineChartSvg(
  { Objective: info.lossHistory },
  { title: 'Softmax regression: L-BFGS', xTitle: 'Iteration', yTitle: 'Objective' },
);
await writeOutput('02-softmax-objective.png', await svgToPng(curve));
