import type { PreprocessStep } from '../option-values.js';

/** A model `compare` tries: a registered model type, its settings and its preprocessing. */
export interface Candidate {
  /** A registered model type; also the candidate's name. */
  model: string;
  params: Record<string, unknown>;
  preprocess?: PreprocessStep[];
}

/**
 * What `compare` tries: each classifier with the best settings the library knows for it,
 * chosen so that all of them, and the refit of the best, finish within 5 minutes on a
 * 2-core machine on full MNIST. The SVM's pipeline (deskewing, 80 principal components, C and
 * gamma) was chosen by cross-validation on the training images (`benchmarks/src/svm-deskew-cv.ts`).
 */
export const COMPARE_SETUP: readonly Candidate[] = [
  { model: 'softmax', params: { maxIter: 60 } },
  { model: 'forest', params: { nEstimators: 50 } },
  { model: 'mlp', params: { hiddenLayers: [128], epochs: 10, validationFraction: 0.1 } },
  {
    model: 'svm',
    params: { C: 10, gamma: 0.0389 },
    preprocess: [{ name: 'deskew' }, { name: 'pca', value: 80 }],
  },
];
