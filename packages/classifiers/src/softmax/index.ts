export {
  SoftmaxRegression,
  SOFTMAX_REGRESSION_DEFAULTS,
  type SoftmaxRegressionOptions,
  type SoftmaxFitInfo,
  type InputFormat,
} from './softmax-regression.js';
