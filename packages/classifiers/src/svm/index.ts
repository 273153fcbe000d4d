export { SVC, SVC_DEFAULTS, type SvcOptions } from './svc.js';
export { scaleGamma, type KernelName } from './kernel.js';
