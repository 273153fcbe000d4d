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
 * chosen so that all of them finish within 5 minutes on a 2-core machine on full MNIST. The
 * SVM's pipeline (deskewing, 80 principal components, C and gamma) was chosen by
 * cross-validation on the training images (`benchmarks/src/svm-deskew-cv.ts`); the convnet runs
 * its default architecture, chosen on a validation split of the training images (docs/cnn.md),
 * for fewer epochs.
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
  // Its defaults train 10 epochs (about 4.5 minutes on 2 cores); 6 keep the job within budget.
  { model: 'cnn', params: { epochs: 6 } },
];
