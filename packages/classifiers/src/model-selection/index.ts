export {
  crossValScore,
  type CrossValidationOptions,
  type CrossValidationResult,
} from './cross-validation.js';
export {
  GridSearch,
  type GridSearchOptions,
  type GridSearchFitOptions,
  type CandidateResult,
} from './grid-search.js';
export { expandGrid, type ParamGrid } from './param-grid.js';
export { resolveScorer, type Scorer, type Scoring } from './scoring.js';
export type { SelectionProgress } from './progress.js';
