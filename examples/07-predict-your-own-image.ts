// 07 - Recognise a digit in a picture of your own: a PNG or JPEG given as argument, or one
// this example draws itself (a pen-stroke 4, dark ink on paper, off-centre, much larger than
// 28 x 28).
// The picture is made to look like an MNIST digit first, as MNIST's own digits were made:
// grey levels, inverted to white-on-black, cropped, scaled into a 20 x 20 box, centred by mass.
//
//   pnpm example 07 [my-digit.png] [--small]
import { RandomForestClassifier } from '@typedlearn/classifiers';
import { featureRows, prepareDigitImage } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { readImageFile } from '@typedlearn/io/node';
import { svgToPng } from '@typedlearn/plots/png';
import { Tensor } from '@typedlearn/tensor';
import { ARGS, SMALL, THREADS, writeOutput } from './lib/example.js';
import { printAccuracy } from './lib/printing.js';
import { digitGridPng } from './lib/pictures.js';

// 1. The picture: yours, or a 4 drawn with two strokes on an off-white 300 x 240 canvas.
const DRAWN_FOUR = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="240">
  <rect width="300" height="240" fill="#f3efe6"/>
  <g stroke="#202040" stroke-width="14" stroke-linecap="round" stroke-linejoin="round" fill="none">
    <path d="M 150 40 L 100 140 L 200 140"/>
    <path d="M 175 80 L 172 215"/>
  </g>
</svg>`;
const file =
  ARGS[0] ?? (await writeOutput('07-my-digit.png', await svgToPng(DRAWN_FOUR, { scale: 1 })));
const picture = await readImageFile(file);
console.log(`Read ${file}: ${picture.width} x ${picture.height} pixels.`);

// 2. Make it an MNIST digit: 784 floats in [0, 1], ink = 1, centre of mass at (14, 14).
const pixels = prepareDigitImage(picture);
await writeOutput('07-as-mnist-28x28.png', digitGridPng([pixels], { scale: 8 }));
console.log('\nWhat the model sees (28 x 28):');
for (let row = 0; row < 28; row += 2) {
  // Two image rows per text line: ' ' for blank, then '.', ':', '#' for more ink.
  let line = '';
  for (let col = 0; col < 28; col++) {
    const ink = Math.max(pixels[row * 28 + col], pixels[(row + 1) * 28 + col]);
    line += ' .:#'[Math.min(3, Math.ceil(ink * 3))];
  }
  console.log(`  |${line}|`);
}

// 3. A model that gives probabilities: a random forest trained on MNIST digits, as pixel rows
//    in [0, 1] like the picture.
const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [1000, 300] : [20_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
const forest = new RandomForestClassifier({ nEstimators: SMALL ? 20 : 100 });
console.log(
  `\nTraining a ${forest.params.nEstimators}-tree random forest on ${XTrain.shape[0]} digits...`,
);
await forest.fit(XTrain, yTrain, { threads: THREADS });
printAccuracy(forest.score(XTest, yTest), XTest.shape[0]);

// 4. The answer, with the forest's probability for every digit.
const X = new Tensor(pixels, [1, 784]);
const [digit] = forest.predict(X);
const proba = forest.predictProba(X).data;
console.log(`\nprediction: ${digit}`);
for (let k = 0; k < 10; k++) {
  console.log(
    `  ${k}  ${(100 * proba[k]).toFixed(0).padStart(3)}%  ${'#'.repeat(Math.round(40 * proba[k]))}`,
  );
}
