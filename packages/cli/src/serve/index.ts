// @typedlearn/cli/serve: the digit server behind `typedlearn serve`, for programs and tests.
export { startDigitServer, type DigitServer, type DigitServerOptions } from './server.js';
export {
  type ModelFileBytes,
  type ModelListing,
  type ServedModel,
  type ServedModels,
} from './served-models.js';
export { type AccessLogEntry } from './access-log.js';
export { type ServerMetrics } from './server-metrics.js';
export {
  DigitPredictor,
  DIGIT_PIXELS,
  DIGIT_SIDE,
  type AnswerKind,
  type ImagePrediction,
} from './digit-predictor.js';
export { type ModelSummary } from './model-summary.js';
export { type ErrorBody } from './http-error.js';
export { MAX_BATCH_IMAGES, PREDICT_MEDIA_TYPES } from './predict-request.js';
export {
  loadWebDemo,
  bundleWebDemo,
  writeWebDemo,
  nodeBuiltinsStayOut,
  mnistGallery,
  type WebDemo,
  type WebAsset,
  type WebDemoBuild,
} from './web-demo.js';
