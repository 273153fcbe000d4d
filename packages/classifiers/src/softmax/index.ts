export {
  SoftmaxRegression,
  SOFTMAX_REGRESSION_DEFAULTS,
  SOFTMAX_REGRESSION_PARAMETERS,
  type SoftmaxRegressionOptions,
  type SoftmaxFitInfo,
  type InputFormat,
} from './softmax-regression.js';
