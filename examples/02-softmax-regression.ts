// 02 - Softmax regression (multinomial logistic regression): one linear score per digit,
// w_k . x + b_k, turned into probabilities by the softmax. Training minimises the
// cross-entropy plus an L2 penalty, C * sum_i -log p(y_i | x_i) + ||W||^2 / 2, with L-BFGS.
// A linear model, so each class's weights can be drawn as a 28 x 28 picture.
//
//   pnpm example 02 [--small]
import { SoftmaxRegression, type SoftmaxFitInfo } from '@typedlearn/classifiers';
import { svgToPng } from '@typedlearn/plots/png';
import { loadDigits, secondsSince, SMALL, writeOutput } from './lib/example.js';
import { printProgress, reportResults } from './lib/evaluate.js';
import { lineChartSvg } from './lib/line-chart.js';
import { digitGridPng } from './lib/pictures.js';

const { XTrain, yTrain, XTest, yTest } = loadDigits(
  { train: 60_000, test: 10_000 },
  { train: 1000, test: 300 },
);
console.log(
  `Softmax regression on ${XTrain.shape[0]} training digits, tested on ${XTest.shape[0]}.`,
);

// C = 1 is scikit-learn's default; maxIter caps the L-BFGS iterations (each one is a pass over
// the data for the loss and gradient, plus line-search steps when needed).
const model = new SoftmaxRegression({ C: 1, maxIter: SMALL ? 50 : 100 });
console.log(`hyper-parameters: ${JSON.stringify(model.params)}\n`);

let start = performance.now();
await model.fit(XTrain, yTrain, { onProgress: printProgress() });
const info = model.info as unknown as SoftmaxFitInfo;
console.log(
  `fitted in ${secondsSince(start)}: ${info.iterations} iterations, stopped by '${info.stopReason}'`,
);

start = performance.now();
const predicted = model.predict(XTest);
console.log(`predicted ${XTest.shape[0]} digits in ${secondsSince(start)}\n`);
await reportResults('02-softmax', 'Softmax regression: test digits', yTest, predicted);

// The weights: coef is [10, 784]; row k, drawn as an image, shows which pixels vote for digit
// k (light) and which against it (dark). They look like blurred templates of the digits.
const coef = model.coef.data;
const weightImages = Array.from({ length: 10 }, (_, k) => coef.subarray(k * 784, (k + 1) * 784));
await writeOutput('02-softmax-weights.png', digitGridPng(weightImages, { columns: 10 }));

// The learning curve: the objective after each L-BFGS iteration.
const curve = lineChartSvg(
  { objective: info.lossHistory },
  { title: 'Softmax regression: L-BFGS', xTitle: 'iteration', yTitle: 'objective' },
);
await writeOutput('02-softmax-objective.png', await svgToPng(curve));
