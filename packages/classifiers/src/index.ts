export type {
  Classifier,
  FitOptions,
  FitProgress,
  ModelState,
  ResolvedFitOptions,
} from './classifier.js';
export { BaseClassifier, resolveFitOptions, type Fitted } from './base-classifier.js';
export { NotFittedError } from './errors.js';
export { checkFeatures, checkLabels, encodeLabels } from './input.js';
export { resolveParams, checkNumber, checkChoice, type NumberRule } from './params.js';
