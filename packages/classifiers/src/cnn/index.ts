export {
  ConvNetClassifier,
  CNN_CLASSIFIER_DEFAULTS,
  CNN_CLASSIFIER_PARAMETERS,
  DEFAULT_CNN_LAYERS,
  convNetSummary,
  type ConvNetClassifierOptions,
  type ConvNetFitInfo,
} from './cnn-classifier.js';
export type { Augmentation } from './augmentation.js';
export type { ImageShape } from './image-shape.js';
export type {
  Conv2dSpec,
  DenseSpec,
  DropoutSpec,
  FlattenSpec,
  LayerSpec,
  PoolSpec,
  ReluSpec,
} from './layer-spec.js';
