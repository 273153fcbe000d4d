/**
 * One progress report from model selection, sent after every fit: `step` of `total` fits are
 * done. Cross-validation fits one model per fold; a grid search one per candidate and fold,
 * plus the final refit of the best candidate.
 */
export interface SelectionProgress {
  /** `'fold'`: a fold was fitted and scored; `'refit'`: the best candidate was refitted on all rows. */
  stage: 'fold' | 'refit';
  step: number;
  total: number;
  /** Index of the parameter candidate (always 0 in `crossValScore`). */
  candidate: number;
  /** Index of the fold just scored (for `'refit'`: the number of folds). */
  fold: number;
  /** The held-out score of this fold (absent for `'refit'`). */
  score?: number;
}
