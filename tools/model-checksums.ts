// Checksums of fitted models, to show that a refactoring leaves every model bit for bit the
// same: each classifier is fitted on the first MNIST training digits with fixed settings, on
// one and on two threads, and the SHA-256 of its fitted state (classes, parameters, every
// tensor's bytes) and of its probabilities (or decision scores) on test digits is printed.
// Run it before and after a change and compare the lines:
//
//   pnpm exec tsx --conditions=typedlearn-source tools/model-checksums.ts [--train-size 3000]
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  type Classifier,
  DecisionTreeClassifier,
  integerLabels,
  type Labels,
  MLPClassifier,
  RandomForestClassifier,
  SoftmaxRegression,
  SVC,
} from '@typedlearn/classifiers';
import { flattenImages, takeRows, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import type { Tensor } from '@typedlearn/tensor';

const { values } = parseArgs({
  options: { 'train-size': { type: 'string', default: '3000' } },
});
const trainSize = Number(values['train-size']);
const TEST_SIZE = 500;

/** The settings fitted, each named; they cover every solver and the options that change the path taken. */
const MODELS: [string, () => Classifier][] = [
  ['softmax lbfgs', () => new SoftmaxRegression({ C: 1 })],
  ['softmax adam', () => new SoftmaxRegression({ solver: 'adam', maxIter: 5 })],
  [
    'softmax sgd',
    () => new SoftmaxRegression({ solver: 'sgd', maxIter: 5, lrSchedule: 'exponential' }),
  ],
  ['svc rbf', () => new SVC({ C: 5 })],
  ['svc rbf probability', () => new SVC({ C: 5, probability: true })],
  ['svc poly', () => new SVC({ kernel: 'poly', C: 1, degree: 2 })],
  ['decision tree', () => new DecisionTreeClassifier({ maxDepth: 12 })],
  ['forest', () => new RandomForestClassifier({ nEstimators: 20, oobScore: true })],
  ['forest entropy', () => new RandomForestClassifier({ nEstimators: 10, criterion: 'entropy' })],
  ['mlp adam', () => new MLPClassifier({ hiddenLayers: [64], epochs: 3 })],
  [
    'mlp sgd',
    () =>
      new MLPClassifier({
        hiddenLayers: [32, 16],
        solver: 'sgd',
        epochs: 3,
        validationFraction: 0.1,
        earlyStopping: true,
      }),
  ],
];

function hashState(model: Classifier): string {
  const state = model.toState();
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({ type: state.modelType, params: state.params, classes: state.classes }),
  );
  for (const name of Object.keys(state.tensors).sort()) {
    const tensor = state.tensors[name];
    hash.update(name).update(JSON.stringify(tensor.shape));
    const data = tensor.data;
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

function hashOutputs(model: Classifier, X: Tensor): string {
  const outputs: Tensor | Labels =
    model.predictProba !== undefined &&
    (model as { params: { probability?: boolean } }).params.probability !== false
      ? model.predictProba(X)
      : model.predict(X);
  const data = 'data' in outputs ? outputs.data : integerLabels(outputs);
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex')
    .slice(0, 16);
}

const { train, test } = loadMnist();
const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
const X = toFloat01(takeRows(flattenImages(train.images), rows(trainSize)));
const y = train.labels.slice(0, trainSize);
const Xtest = toFloat01(takeRows(flattenImages(test.images), rows(TEST_SIZE)));

for (const [name, make] of MODELS) {
  const lines = [];
  for (const threads of [1, 2]) {
    const model = await make().fit(X, y, { seed: 7, threads });
    lines.push(`state ${hashState(model)} outputs ${hashOutputs(model, Xtest)}`);
  }
  const same = lines[0] === lines[1] ? 'same on 1 and 2 threads' : `2 threads: ${lines[1]}`;
  process.stdout.write(`${name.padEnd(20)} ${lines[0]}  (${same})\n`);
}
