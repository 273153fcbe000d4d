import type { DigitPredictor } from '../../src/serve/digit-predictor.js';
import type { ModelSummary } from '../../src/serve/model-summary.js';

/** "svm model from best.safetensors (deskew, pca) · 97.1% test accuracy · running in this page" */
export function describeModel(predictor: DigitPredictor, summary: ModelSummary): string {
  const steps = predictor.file.preprocessing.map((step) => step.transformType);
  const parts = [
    `${predictor.file.model.modelType} model from ${summary.file}` +
      (steps.length > 0 ? ` (${steps.join(', ')})` : ''),
  ];
  if (summary.testAccuracy !== null) {
    parts.push(`${(100 * summary.testAccuracy).toFixed(1)}% test accuracy`);
  }
  if (!predictor.hasProbabilities) parts.push('scores, not probabilities');
  parts.push('running in this page');
  return parts.join(' · ');
}
