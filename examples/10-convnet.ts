// 10 - A convolutional network: small 5x5 filters slide over the digit (convolution), twice,
// each time followed by a max pooling that halves the image (28 -> 24 -> 12 -> 8 -> 4) and
// ReLU; a dense layer with dropout reads the 4 x 4 maps of 32 features out into the ten digits.
// Each training digit is shifted and turned a little every time it is seen, so the network
// learns that a moved digit is the same digit. The full default fit (60,000 digits, every
// epoch) is `pnpm typedlearn train --model cnn`; this example trains a shorter run.
//
//   pnpm example 10 [--small]
import { ConvNetClassifier } from '@typedlearn/classifiers';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { lineChartSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { SMALL, THREADS, writeOutput } from './lib/example.js';
import { digitGridPng } from './lib/pictures.js';
import { printEvaluation, printProgress, secondsSince } from './lib/printing.js';

const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [1000, 300] : [20_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
console.log(
  `Convolutional network on ${XTrain.shape[0]} training digits, tested on ${XTest.shape[0]}.`,
);

// The default architecture (DEFAULT_CNN_LAYERS) and augmentation, with fewer epochs (and, on
// the few digits of --small, smaller batches, so that there are enough steps); a tenth of the
// training digits is held out to watch validation accuracy after every epoch.
const cnn = new ConvNetClassifier({
  epochs: SMALL ? 6 : 4,
  batchSize: SMALL ? 32 : 128,
  validationFraction: 0.1,
});
console.log(`layers: ${JSON.stringify(cnn.params.layers)}`);
console.log(`augment: ${JSON.stringify(cnn.params.augment)}\n`);

let start = performance.now();
await cnn.fit(XTrain, yTrain, { seed: 0, threads: THREADS, onProgress: printProgress() });
console.log(`fitted in ${secondsSince(start)}\n`);
console.log(cnn.summary());
console.log('\nepoch   loss     train acc   validation acc');
const { history } = cnn.info;
for (const { epoch, loss, trainAccuracy, validationAccuracy } of history) {
  console.log(
    `  ${String(epoch).padStart(3)}   ${loss.toFixed(4)}   ${(100 * trainAccuracy).toFixed(2).padStart(6)}%     ${(100 * (validationAccuracy ?? NaN)).toFixed(2)}%`,
  );
}

start = performance.now();
const predicted = cnn.predict(XTest);
console.log(`\npredicted ${XTest.shape[0]} digits in ${secondsSince(start)}\n`);
await printEvaluation('Convolutional network', '10-convnet', yTest, predicted);

// Learning curves: accuracy on the batches as trained (distorted, with dropout) and on the
// held-out digits.
const curves = await lineChartSvg(
  {
    Training: history.map((h) => h.trainAccuracy),
    Validation: history.map((h) => h.validationAccuracy ?? NaN),
  },
  { title: 'Convolutional network learning curves', xTitle: 'Epoch', yTitle: 'Accuracy' },
);
await writeOutput('10-convnet-learning-curves.png', await svgToPng(curves));

// The test digits it got wrong, first 24 of them.
const wrong: Float32Array[] = [];
for (let i = 0; i < predicted.length && wrong.length < 24; i++) {
  if (predicted[i] !== yTest[i]) wrong.push(XTest.data.subarray(i * 784, (i + 1) * 784));
}
if (wrong.length > 0) {
  await writeOutput('10-convnet-mistakes.png', digitGridPng(wrong, { columns: 12, invert: true }));
}
