// 08 - Preprocessing as part of the model: a Pipeline that deskews each digit (straightens its
// slant), projects it onto its 50 principal components (PCA), and classifies with an SVC. The
// pipeline is saved as one model file, so the preprocessing travels with the classifier.
//
//   pnpm example 08 [--small]
import { SVC } from '@typedlearn/classifiers';
import { loadModel, saveModel } from '@typedlearn/classifiers/node';
import { Deskew, featureRows, PCA, Pipeline } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { Tensor } from '@typedlearn/tensor';
import { OUTPUT_DIR, SMALL, THREADS, writeOutput } from './lib/example.js';
import { printAccuracy, secondsSince } from './lib/printing.js';
import { digitGridPng } from './lib/pictures.js';

const { train, test } = loadMnist();
const [nTrain, nTest] = SMALL ? [1000, 300] : [10_000, 10_000];
const { X: XTrain, y: yTrain } = featureRows(train, nTrain);
const { X: XTest, y: yTest } = featureRows(test, nTest);
console.log(`Training on ${XTrain.shape[0]} digits, testing on ${XTest.shape[0]}.\n`);

// 1. The baseline: the same SVC on the raw 784 pixels.
let start = performance.now();
const raw = await new SVC({ C: 5 }).fit(XTrain, yTrain, { threads: THREADS });
console.log(`SVC on raw pixels            fitted in ${secondsSince(start)}`);
const rawAccuracy = raw.score(XTest, yTest);

// 2. The pipeline. Deskewing removes one source of variation between writers (the slant), and
//    PCA keeps the 50 directions of largest variance: the kernel sees 50 numbers, not 784.
const pipeline = new Pipeline([new Deskew(), new PCA({ nComponents: 50 })], new SVC({ C: 5 }));
start = performance.now();
await pipeline.fit(XTrain, yTrain, { threads: THREADS });
console.log(`Deskew -> PCA(50) -> SVC     fitted in ${secondsSince(start)}`);
const pca = pipeline.transforms[1] as PCA;
const kept = pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
console.log(
  `  PCA: 50 components keep ${(100 * kept).toFixed(1)}% of the deskewed pixels' variance`,
);

console.log(`\nraw pixels: ${(100 * rawAccuracy).toFixed(2)}%, pipeline:`);
printAccuracy(pipeline.score(XTest, yTest), XTest.shape[0]);

// 3. One model file holds the transforms' states and the SVC; loading restores the pipeline.
const file = `${OUTPUT_DIR}08-deskew-pca-svc.safetensors`;
await saveModel(pipeline, file);
const restored = (await loadModel(file)) as Pipeline<SVC>;
const predicted = pipeline.predict(XTest);
const same = Array.from(restored.predict(XTest)).every((label, i) => label === predicted[i]);
console.log(`\nsaved and reloaded ${file}: identical predictions: ${same}`);

// Pictures: a few digits before and after deskewing, and the first principal components.
console.log('\nPictures:');
const first = XTest.slice(0, 10).contiguous();
const deskewed = new Deskew().fitTransform(first);
const rows = (t: Tensor) =>
  Array.from({ length: 10 }, (_, i) => t.data.subarray(i * 784, (i + 1) * 784));
await writeOutput(
  '08-before-and-after-deskew.png',
  digitGridPng([...rows(first), ...rows(deskewed)], { columns: 10 }),
);
const components = Array.from({ length: 16 }, (_, i) =>
  pca.components.data.subarray(i * 784, (i + 1) * 784),
);
await writeOutput('08-first-16-principal-components.png', digitGridPng(components, { columns: 8 }));
