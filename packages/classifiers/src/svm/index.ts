export { SVC, SVC_DEFAULTS, SVC_PARAMETERS, type SvcFitInfo, type SvcOptions } from './svc.js';
export { scaleGamma, type KernelName } from './kernel.js';
export { ovrDecisionScores } from './ovr-decision-scores.js';
