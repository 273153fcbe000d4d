import { Rng, ValueError } from '@typedlearn/tensor';
import type { PipelineLabel } from '../pipeline.js';
import { resolveOptions } from '../transforms/options.js';
import { allocateProportionally, classMembers, type Split } from './split.js';

/** Options of {@link trainTestSplit}. */
export interface TrainTestSplitOptions {
  /**
   * Size of the test set: a fraction in (0, 1) of the samples (rounded up) or a count.
   * Default 0.25.
   */
  testSize: number;
  /** Keep each class's share of samples the same in both sets. Default true. */
  stratify: boolean;
  /** Seed of the random draw: the same seed gives the same split. Default 0. */
  seed: number;
}

/**
 * A random split of the samples labelled `labels` into a training and a test set, both in
 * random order (scikit-learn's `train_test_split`, stratified by default as with
 * `stratify=y`). Stratified splits give each class floor-or-ceiling of its proportional share
 * of both sets, which needs at least two members per class and at least one test and one
 * training sample per class.
 */
export function trainTestSplit(
  labels: ArrayLike<PipelineLabel>,
  options?: Partial<TrainTestSplitOptions>,
): Split {
  const { testSize, stratify, seed } = resolveOptions(
    'trainTestSplit',
    { testSize: 0.25, stratify: true, seed: 0 },
    options,
  );
  const n = labels.length;
  const nTest = testCount(testSize, n);
  const rng = new Rng(seed);
  if (!stratify) {
    const order = rng.permutation(n);
    return { train: order.slice(nTest), test: order.slice(0, nTest) };
  }
  const { classes, members } = classMembers(labels, 'trainTestSplit');
  const smallest = Math.min(...members.map((m) => m.length));
  if (smallest < 2) {
    throw new ValueError(
      'trainTestSplit cannot stratify: a class has only 1 member, expected at least 2 per class',
    );
  }
  const nTrain = n - nTest;
  if (nTest < classes.length || nTrain < classes.length) {
    throw new ValueError(
      `trainTestSplit cannot stratify ${classes.length} classes into ${nTrain} training and ` +
        `${nTest} test samples: expected at least one sample per class in each set`,
    );
  }
  // As scikit-learn's StratifiedShuffleSplit: allocate training rows, then test rows from
  // what is left of each class, then take each class's rows in random order.
  const counts = members.map((m) => m.length);
  const trainCounts = allocateProportionally(counts, nTrain, rng);
  const testCounts = allocateProportionally(
    counts.map((c, k) => c - trainCounts[k]),
    nTest,
    rng,
  );
  const train = new Int32Array(nTrain);
  const test = new Int32Array(nTest);
  let nextTrain = 0;
  let nextTest = 0;
  members.forEach((member, k) => {
    const shuffled = rng.shuffle(member.slice());
    train.set(shuffled.subarray(0, trainCounts[k]), nextTrain);
    test.set(shuffled.subarray(trainCounts[k], trainCounts[k] + testCounts[k]), nextTest);
    nextTrain += trainCounts[k];
    nextTest += testCounts[k];
  });
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

function testCount(testSize: number, n: number): number {
  const count = testSize > 0 && testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(count) || count < 1 || count >= n) {
    throw new ValueError(
      `trainTestSplit testSize ${testSize} leaves ${count} of ${n} samples for testing: ` +
        'expected a fraction in (0, 1) or a count in [1, n) that leaves both sets non-empty',
    );
  }
  return count;
}
