// The conformance suite over every registered classifier, as scikit-learn's `all_estimators`
// drives `check_estimator`: registering a model type is enough to have it checked. Some types
// are checked in more than one setting (every solver), with small settings where the defaults
// would make the fits slow.
import { modelEntry, modelTypes } from '../src/index.js';
import { describeConformance } from './helpers/conformance.js';

const SMALL_MLP = { hiddenLayers: [16], epochs: 30, batchSize: 16, learningRate: 0.01, dropout: 0 };
/** A convnet small enough for the suite's 6-feature blobs (read as 6 x 1 images), no augmentation. */
const SMALL_CNN = {
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool', size: 2 },
    { type: 'dense', units: 16 },
    { type: 'relu' },
  ],
  augment: null,
  epochs: 30,
  batchSize: 16,
  learningRate: 0.01,
};

/** The settings each model type is checked in; a type not listed is checked with its defaults. */
const SETTINGS: Record<string, Record<string, unknown>[]> = {
  softmax: [{ maxIter: 50 }, { solver: 'adam', learningRate: 0.05, maxIter: 30, batchSize: 16 }],
  svm: [{ probability: true }, {}],
  forest: [{ nEstimators: 10 }],
  mlp: [
    SMALL_MLP,
    {
      ...SMALL_MLP,
      hiddenLayers: [12, 8],
      activation: 'tanh',
      solver: 'sgd',
      learningRate: 0.1,
      dropout: 0.1,
    },
  ],
  cnn: [
    SMALL_CNN,
    {
      ...SMALL_CNN,
      layers: [
        { type: 'conv2d', filters: 3, kernelSize: 2, padding: 1, stride: 2 },
        { type: 'relu' },
        { type: 'avgPool', size: 2, stride: 1 },
        { type: 'flatten' },
        { type: 'dense', units: 12 },
        { type: 'relu' },
        { type: 'dropout', rate: 0.1 },
      ],
      solver: 'sgd',
      learningRate: 0.1,
    },
  ],
};

for (const modelType of modelTypes()) {
  const entry = modelEntry(modelType);
  for (const params of SETTINGS[modelType] ?? [{}]) {
    describeConformance(`${modelType} ${JSON.stringify(params)}`, {
      modelType,
      create: (options) => entry.create({ ...params, ...options }),
      fromState: entry.fromState,
      // An SVC has probabilities only when fitted with them.
      hasProba: modelType !== 'svm' || params.probability === true,
    });
  }
}
