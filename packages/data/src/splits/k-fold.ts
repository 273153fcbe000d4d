import { Rng, ValueError } from '@typedlearn/tensor';
import { resolveOptions } from '../transforms/options.js';
import { checkSplitCount, complement, type Split } from './split.js';

/** Options of {@link KFold} and {@link StratifiedKFold}. */
export interface KFoldOptions {
  /** Number of folds, at least 2. Default 5. */
  nSplits: number;
  /** Shuffle the samples before cutting them into folds. Default false. */
  shuffle: boolean;
  /** Seed of the shuffle (used only when `shuffle` is true). Default 0. */
  seed: number;
}

/**
 * K-fold cross-validation (scikit-learn's `KFold`): the samples, in order or shuffled, are cut
 * into `nSplits` consecutive folds whose sizes differ by at most one (the first `n % nSplits`
 * folds get one extra); each fold is the test set once, the other folds its training set.
 */
export class KFold {
  readonly params: Readonly<KFoldOptions>;

  constructor(options?: Partial<KFoldOptions>) {
    this.params = Object.freeze(
      resolveOptions('KFold', { nSplits: 5, shuffle: false, seed: 0 }, options),
    );
    checkSplitCount('KFold', this.params.nSplits);
  }

  /** The `nSplits` splits of `nSamples` samples; indices within each set ascending. */
  split(nSamples: number): Split[] {
    const { nSplits, shuffle, seed } = this.params;
    if (!Number.isInteger(nSamples) || nSamples < nSplits) {
      throw new ValueError(
        `KFold cannot make ${nSplits} folds of ${nSamples} samples: expected at least ${nSplits}`,
      );
    }
    const order = shuffle ? new Rng(seed).permutation(nSamples) : identity(nSamples);
    const folds: Split[] = [];
    let start = 0;
    for (let f = 0; f < nSplits; f++) {
      const size = Math.floor(nSamples / nSplits) + (f < nSamples % nSplits ? 1 : 0);
      const test = order.slice(start, start + size).sort();
      folds.push({ train: complement(nSamples, test), test });
      start += size;
    }
    return folds;
  }
}

function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}
