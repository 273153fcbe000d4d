export { SVC, SVC_DEFAULTS, type SvcOptions } from './svc.js';
export type { KernelName } from './kernel.js';
