import { ValueError, type Rng } from '@typedlearn/tensor';
import type { PipelineLabel } from '../pipeline.js';

/** One split of a dataset into training and test rows, as index arrays. */
export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** Labels grouped by class: the member indices (ascending) of each distinct label. */
export interface ClassMembers {
  /** The distinct labels, in order of first appearance (as scikit-learn encodes them). */
  classes: PipelineLabel[];
  /** `members[k]` holds the indices of the samples whose label is `classes[k]`, ascending. */
  members: Int32Array[];
}

/** Groups sample indices by label; throws a ValueError for a label that is not an integer. */
export function classMembers(labels: ArrayLike<PipelineLabel>, owner: string): ClassMembers {
  const classOf = new Map<PipelineLabel, number>();
  const counts: number[] = [];
  const encoded = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const type = typeof label;
    if (
      (type === 'number' && !Number.isInteger(label)) ||
      !(type === 'number' || type === 'string' || type === 'boolean') ||
      type !== typeof labels[0]
    ) {
      throw new ValueError(
        `${owner} label ${i} is ${JSON.stringify(label)}: expected class labels of one type (integers, strings or booleans)`,
      );
    }
    let k = classOf.get(label);
    if (k === undefined) {
      k = counts.length;
      classOf.set(label, k);
      counts.push(0);
    }
    encoded[i] = k;
    counts[k]++;
  }
  const members = counts.map((count) => new Int32Array(count));
  const filled = new Int32Array(counts.length);
  for (let i = 0; i < encoded.length; i++) members[encoded[i]][filled[encoded[i]]++] = i;
  return { classes: [...classOf.keys()], members };
}

/**
 * Splits `draws` samples among classes in proportion to `counts` (scikit-learn's
 * `_approximate_mode`): each class gets the floor of its exact share, and the draws left over
 * go to the classes with the largest remainders, ties broken at random.
 */
export function allocateProportionally(
  counts: ArrayLike<number>,
  draws: number,
  rng: Rng,
): Int32Array {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  const allocation = new Int32Array(counts.length);
  const remainders: { k: number; remainder: number }[] = [];
  let left = draws;
  for (let k = 0; k < counts.length; k++) {
    const exact = (draws * counts[k]) / total;
    allocation[k] = Math.floor(exact);
    left -= allocation[k];
    remainders.push({ k, remainder: exact - allocation[k] });
  }
  // Shuffle first, then stable-sort by remainder: equal remainders end in random order.
  rng.shuffle(remainders);
  remainders.sort((p, q) => q.remainder - p.remainder);
  for (let r = 0; r < left; r++) allocation[remainders[r].k]++;
  return allocation;
}

/** The indices 0..n-1 that are not in `excluded` (ascending). */
export function complement(n: number, excluded: ArrayLike<number>): Int32Array {
  const taken = new Uint8Array(n);
  for (let i = 0; i < excluded.length; i++) taken[excluded[i]] = 1;
  const rest = new Int32Array(n - excluded.length);
  let next = 0;
  for (let i = 0; i < n; i++) if (taken[i] === 0) rest[next++] = i;
  return rest;
}

/** Throws a ValueError unless `nSplits` is an integer >= 2. */
export function checkSplitCount(owner: string, nSplits: number): void {
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new ValueError(`${owner} nSplits must be an integer >= 2, got ${nSplits}`);
  }
}
