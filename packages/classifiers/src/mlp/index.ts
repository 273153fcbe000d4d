export {
  MLPClassifier,
  MLP_CLASSIFIER_DEFAULTS,
  MLP_CLASSIFIER_PARAMETERS,
  type MLPClassifierOptions,
  type MLPFitInfo,
  type EpochRecord,
} from './mlp-classifier.js';
export type { Activation } from './activation.js';
