import type { Split } from '@typedlearn/data';
import type { Classifier } from '../classifier.js';
import { NotFittedError, type Tensor } from '@typedlearn/tensor';
import { meanAndStd, prepareCrossValidation, scoreFolds } from './cross-validation.js';
import { expandGrid, type ParamGrid } from './param-grid.js';
import type { SelectionProgress } from './progress.js';
import type { Scoring } from './scoring.js';

/** Options of a {@link GridSearch}. */
export interface GridSearchOptions {
  /** k for stratified k-fold, or explicit train/test splits. Default 5. */
  cv?: number | readonly Split[];
  /** Shuffle the samples before cutting k folds (only when `cv` is a number). Default false. */
  shuffle?: boolean;
  /** How a fold is scored; the best candidate has the highest mean. Default `'accuracy'`. */
  scoring?: Scoring;
  /** Refit the best candidate on all rows after the search, as `bestEstimator`. Default true. */
  refit?: boolean;
}

/** Options of {@link GridSearch.fit}. */
export interface GridSearchFitOptions {
  /** Seed of every fit and of the shuffle. Default 0. */
  seed?: number;
  /** Called after every fit: each candidate on each fold, then the refit. */
  onProgress?: (progress: SelectionProgress) => void;
  /** Aborting it stops the search with the signal's reason. */
  signal?: AbortSignal;
}

/** One row of a grid search's results table (scikit-learn's `cv_results_`). */
export interface CandidateResult<P> {
  params: P;
  /** Held-out score on each fold. */
  foldScores: number[];
  meanScore: number;
  /** Population standard deviation of the fold scores. */
  stdScore: number;
  /** 1 for the best mean score; equal means share the lower rank, NaN ranks last. */
  rank: number;
  /** Mean wall-clock seconds of one fold's fit and score. */
  meanFitSeconds: number;
}

/**
 * Exhaustive search over a hyper-parameter grid by cross-validation (scikit-learn's
 * `GridSearchCV`): every candidate is scored on the same folds, ranked by its mean score, and
 * the best one is refitted on all the data.
 *
 * ```ts
 * const search = new GridSearch(new SVC(), { C: [1, 5, 10], gamma: ['scale'] }, { cv: 3 });
 * await search.fit(X, y, { onProgress: (p) => bar.update(p.step / p.total) });
 * search.bestParams; // { C: 5, gamma: 'scale' }
 * search.bestEstimator.predict(XTest);
 * ```
 */
export class GridSearch<P extends object> {
  /** Every parameter combination, in the order they are tried and reported. */
  readonly candidates: readonly P[];
  readonly options: Readonly<GridSearchOptions>;
  readonly #createModel: (params: P) => Classifier;
  #results: CandidateResult<P>[] | undefined;
  #bestEstimator: Classifier | undefined;

  /**
   * `estimator` is a classifier whose hyper-parameters the grid's override (each candidate is
   * `estimator.withParams(candidate)`), or a factory that makes one from a candidate.
   */
  constructor(
    estimator: Classifier | ((params: P) => Classifier),
    grid: ParamGrid<P> | readonly ParamGrid<P>[],
    options: GridSearchOptions = {},
  ) {
    this.#createModel =
      typeof estimator === 'function' ? estimator : (params) => estimator.withParams(params);
    this.candidates = Object.freeze(expandGrid(grid));
    this.options = Object.freeze({ ...options });
  }

  /** Cross-validates every candidate on `X` and `y`, then refits the best; resolves to this search. */
  async fit(X: Tensor, y: ArrayLike<number>, options: GridSearchFitOptions = {}): Promise<this> {
    const refit = this.options.refit ?? true;
    const data = prepareCrossValidation(X, y, { ...this.options, ...options });
    const nFolds = data.folds.length;
    const total = this.candidates.length * nFolds + (refit ? 1 : 0);
    let step = 0;

    const rows: Omit<CandidateResult<P>, 'rank'>[] = [];
    for (let candidate = 0; candidate < this.candidates.length; candidate++) {
      const params = this.candidates[candidate];
      const started = performance.now();
      const foldScores = await scoreFolds(
        () => this.#createModel(params),
        data,
        (fold, score) =>
          options.onProgress?.({ stage: 'fold', step: ++step, total, candidate, fold, score }),
      );
      const { mean, std } = meanAndStd(foldScores);
      rows.push({
        params,
        foldScores,
        meanScore: mean,
        stdScore: std,
        meanFitSeconds: (performance.now() - started) / 1000 / nFolds,
      });
    }
    const results = rankByMeanScore(rows);

    let bestEstimator: Classifier | undefined;
    if (refit) {
      data.signal?.throwIfAborted();
      const best = this.candidates[bestIndexOf(results)];
      bestEstimator = await this.#createModel(best).fit(data.X, data.y, {
        seed: data.seed,
        signal: data.signal,
      });
      options.onProgress?.({
        stage: 'refit',
        step: ++step,
        total,
        candidate: bestIndexOf(results),
        fold: nFolds,
      });
    }
    this.#results = results;
    this.#bestEstimator = bestEstimator;
    return this;
  }

  /** The results table: one row per candidate, in the order of `candidates`. */
  get results(): readonly CandidateResult<P>[] {
    return this.requireResults();
  }

  /** Index (into `candidates` and `results`) of the best candidate: the first of rank 1. */
  get bestIndex(): number {
    return bestIndexOf(this.requireResults());
  }

  /** The parameters of the best candidate. */
  get bestParams(): P {
    return this.candidates[this.bestIndex];
  }

  /** The best candidate's mean held-out score. */
  get bestScore(): number {
    return this.requireResults()[this.bestIndex].meanScore;
  }

  /** The best candidate refitted on all the rows given to `fit` (needs `refit`, the default). */
  get bestEstimator(): Classifier {
    this.requireResults();
    if (this.#bestEstimator === undefined) {
      throw new NotFittedError(
        'this GridSearch was created with refit: false, so it kept no best estimator',
      );
    }
    return this.#bestEstimator;
  }

  private requireResults(): CandidateResult<P>[] {
    if (this.#results === undefined) {
      throw new NotFittedError('This GridSearch has not been fitted yet: call fit(X, y) first');
    }
    return this.#results;
  }
}

/**
 * Ranks rows by mean score, highest first, as scikit-learn's `rankdata(-means, method='min')`:
 * tied means share the best rank of their group, and NaN means rank after all others.
 */
function rankByMeanScore<P>(rows: Omit<CandidateResult<P>, 'rank'>[]): CandidateResult<P>[] {
  const key = (row: { meanScore: number }): number =>
    Number.isNaN(row.meanScore) ? -Infinity : row.meanScore;
  return rows.map((row) => ({
    ...row,
    rank: 1 + rows.filter((other) => key(other) > key(row)).length,
  }));
}

function bestIndexOf<P>(results: readonly CandidateResult<P>[]): number {
  return results.findIndex((row) => row.rank === 1);
}
