export type * from './classifier.js';
export { BaseClassifier, resolveFitOptions, type Fitted } from './base-classifier.js';
export { NotFittedError } from '@typedlearn/tensor';
export {
  asLabels,
  checkFeatureNames,
  checkFeatures,
  encodeLabels,
  integerLabels,
  tableParts,
  type FeaturesInput,
  type Labels,
  type Table,
} from './input.js';
export {
  resolveParams,
  checkBoolean,
  checkNumber,
  checkChoice,
  type NumberRule,
} from './params.js';
export {
  encodeModel,
  decodeModel,
  modelFile,
  modelFromFile,
  classifierOf,
  encodeSafetensors,
  decodeSafetensors,
  MODEL_FORMAT_VERSION,
  MAX_HEADER_BYTES,
  type ModelFile,
  type SavedModel,
  type SafetensorsContents,
} from './model-file/index.js';
export {
  predictInParallel,
  PREDICT_ROWS,
  type PredictInParallelOptions,
} from './parallel/predict-in-parallel.js';
export {
  createModel,
  modelEntry,
  modelFromState,
  modelTypes,
  registerModel,
  type FromState,
  type ModelEntry,
} from './registry.js';
export { describeHyperParameters, type HyperParameter } from './hyper-parameters.js';
export {
  checkClassWeight,
  classWeights,
  resolveFitWeights,
  type ClassWeight,
  type FitWeights,
} from './class-weight.js';
export {
  checkModelType,
  readStateTensors,
  stateTensor,
  type StateTensorSpec,
  type StateTensors,
} from './model-state.js';
export * from './svm/index.js';
export * from './forest/index.js';
export * from './softmax/index.js';
export * from './mlp/index.js';
export * from './cnn/index.js';
