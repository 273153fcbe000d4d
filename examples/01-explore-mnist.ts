// 01 - Explore MNIST before training anything: how many digits of each class there are, what
// the average digit of each class looks like, and how the pixels are distributed.
//
//   pnpm example 01 [--small]
import { perClassBarChartSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { SMALL, writeOutput } from './lib/example.js';
import { loadMnist } from '@typedlearn/data/node';
import { digitGridPng, DIGIT_SIDE } from './lib/pictures.js';

const PIXELS = DIGIT_SIDE * DIGIT_SIDE;
const { train } = loadMnist();
const n = SMALL ? 2000 : train.labels.length;
const pixels = train.images.data; // uint8, image i is pixels[i * 784 .. (i + 1) * 784)
const labels = train.labels;
console.log(`Exploring the first ${n} of MNIST's ${train.labels.length} training digits.\n`);

// 1. Class counts: MNIST is nearly balanced (1s are the most common, 5s the rarest).
const counts = new Array<number>(10).fill(0);
for (let i = 0; i < n; i++) counts[labels[i]]++;
console.log('digit   count   share');
counts.forEach((count, digit) =>
  console.log(`  ${digit}   ${String(count).padStart(6)}   ${((100 * count) / n).toFixed(1)}%`),
);

// 2. The mean digit of each class, and the per-pixel mean and variance over all digits
//    (one pass: sums of x and x^2 per pixel, in float64).
const classSums = Array.from({ length: 10 }, () => new Float64Array(PIXELS));
const sum = new Float64Array(PIXELS);
const sumOfSquares = new Float64Array(PIXELS);
let zeros = 0;
for (let i = 0; i < n; i++) {
  const classSum = classSums[labels[i]];
  for (let p = 0; p < PIXELS; p++) {
    const value = pixels[i * PIXELS + p] / 255;
    classSum[p] += value;
    sum[p] += value;
    sumOfSquares[p] += value * value;
    if (value === 0) zeros++;
  }
}
const meanDigits = classSums.map((classSum, digit) => classSum.map((s) => s / counts[digit]));
const pixelMean = sum.map((s) => s / n);
const pixelStd = sumOfSquares.map((s, p) => Math.sqrt(Math.max(0, s / n - pixelMean[p] ** 2)));

// 3. Pixel statistics: most pixels are background, and a border of pixels is never inked.
const neverInked = pixelStd.filter((s) => s === 0).length;
const meanIntensity = pixelMean.reduce((a, b) => a + b, 0) / PIXELS;
console.log(`\nmean pixel value       ${meanIntensity.toFixed(4)} (pixels scaled to [0, 1])`);
console.log(`background pixels      ${((100 * zeros) / (n * PIXELS)).toFixed(1)}% are exactly 0`);
console.log(
  `never-inked positions  ${neverInked} of ${PIXELS} are 0 in every digit (constant features)`,
);
const ink = meanDigits.map((digit) => digit.reduce((a, b) => a + b, 0));
console.log(
  `ink per digit          from ${Math.min(...ink).toFixed(0)} (digit ${ink.indexOf(Math.min(...ink))}) to ${Math.max(...ink).toFixed(0)} (digit ${ink.indexOf(Math.max(...ink))}) pixel-units on average`,
);

// Pictures.
console.log('\nPictures:');
const chart = await perClassBarChartSvg(
  { Digits: counts },
  { title: `Digits per class (first ${n} training images)`, valueTitle: 'Images' },
);
await writeOutput('01-class-counts.svg', chart);
await writeOutput('01-class-counts.png', await svgToPng(chart));
await writeOutput('01-mean-digits.png', digitGridPng(meanDigits, { columns: 10 }));
await writeOutput('01-pixel-mean-and-std.png', digitGridPng([pixelMean, pixelStd], { scale: 6 }));
const firstDigits = Array.from({ length: 40 }, (_, i) =>
  pixels.subarray(i * PIXELS, (i + 1) * PIXELS),
);
await writeOutput('01-first-40-digits.png', digitGridPng(firstDigits, { columns: 10, scale: 2 }));
