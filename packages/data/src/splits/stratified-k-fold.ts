import { Rng, ValueError } from '@typedlearn/tensor';
import type { PipelineLabel } from '../pipeline.js';
import { resolveOptions } from '../transforms/options.js';
import type { KFoldOptions } from './k-fold.js';
import { checkSplitCount, classMembers, complement, type Split } from './split.js';

/**
 * Stratified k-fold cross-validation (scikit-learn's `StratifiedKFold`): every fold keeps
 * the class proportions of the whole set as closely as whole samples allow, and fold sizes
 * differ by at most one.
 *
 * The assignment is scikit-learn's: list the samples sorted by class (classes in order of
 * first appearance) and deal them to the folds round-robin; that fixes how many members of
 * each class every fold gets. Each class's members then take their fold numbers in index
 * order, or in random order when `shuffle` is true.
 */
export class StratifiedKFold {
  readonly params: Readonly<KFoldOptions>;

  constructor(options?: Partial<KFoldOptions>) {
    this.params = Object.freeze(
      resolveOptions('StratifiedKFold', { nSplits: 5, shuffle: false, seed: 0 }, options),
    );
    checkSplitCount('StratifiedKFold', this.params.nSplits);
  }

  /** The `nSplits` splits of the samples labelled `labels`; indices within each set ascending. */
  split(labels: ArrayLike<PipelineLabel>): Split[] {
    const { nSplits, shuffle, seed } = this.params;
    const { members } = classMembers(labels, 'StratifiedKFold');
    const largest = Math.max(0, ...members.map((m) => m.length));
    if (nSplits > largest) {
      throw new ValueError(
        `StratifiedKFold cannot make ${nSplits} folds: no class has that many members (the largest has ${largest})`,
      );
    }
    const rng = new Rng(seed);
    const foldOf = new Int32Array(labels.length);
    let position = 0; // position in the class-sorted listing, dealt round-robin
    for (const member of members) {
      const folds = new Int32Array(member.length);
      for (let i = 0; i < member.length; i++) folds[i] = (position + i) % nSplits;
      position += member.length;
      // Fold numbers in increasing order within the class, so unshuffled folds are contiguous.
      folds.sort();
      if (shuffle) rng.shuffle(folds);
      for (let i = 0; i < member.length; i++) foldOf[member[i]] = folds[i];
    }
    const splits: Split[] = [];
    for (let f = 0; f < nSplits; f++) {
      const test: number[] = [];
      for (let i = 0; i < foldOf.length; i++) if (foldOf[i] === f) test.push(i);
      splits.push({ train: complement(labels.length, test), test: Int32Array.from(test) });
    }
    return splits;
  }
}
