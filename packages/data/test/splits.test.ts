import { describe, expect, it } from 'vitest';
import { Tensor } from '@typedlearn/tensor';
import {
  KFold,
  StratifiedKFold,
  takeLabels,
  takeRows,
  trainTestSplit,
  type Split,
} from '@typedlearn/data';

/** Labels 0..k-1 with class c appearing counts[c] times, interleaved. */
function labelsWithCounts(counts: number[]): Int32Array {
  const labels: number[] = [];
  const left = [...counts];
  while (left.some((c) => c > 0)) {
    left.forEach((c, k) => {
      if (c > 0) {
        labels.push(k);
        left[k]--;
      }
    });
  }
  return Int32Array.from(labels);
}

function countsOf(labels: Int32Array, indices: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const i of indices) counts[labels[i]]++;
  return counts;
}

/** Train and test are disjoint and together hold every index exactly once. */
function expectPartition({ train, test }: Split, n: number): void {
  const seen = new Uint8Array(n);
  for (const i of [...train, ...test]) seen[i]++;
  expect(seen.every((s) => s === 1)).toBe(true);
  expect(train.length + test.length).toBe(n);
}

describe('trainTestSplit', () => {
  const counts = [50, 30, 12, 8];
  const labels = labelsWithCounts(counts); // 100 samples

  it('stratifies: each class gets its proportional share of the test set', () => {
    const split = trainTestSplit(labels, { testSize: 0.25, seed: 3 });
    expectPartition(split, 100);
    expect(split.test.length).toBe(25);
    const test = countsOf(labels, split.test, 4);
    // Exact shares 12.5, 7.5, 3, 2: floors or ceilings that add up to 25.
    counts.forEach((c, k) => expect(Math.abs(test[k] - c / 4)).toBeLessThan(1));
    expect(test.reduce((p, c) => p + c)).toBe(25);
  });

  it('is seeded: the same seed gives the same split, another seed another', () => {
    const a = trainTestSplit(labels, { seed: 1 });
    const b = trainTestSplit(labels, { seed: 1 });
    const c = trainTestSplit(labels, { seed: 2 });
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('takes a test count, or no stratification', () => {
    const split = trainTestSplit(labels, { testSize: 10, stratify: false, seed: 0 });
    expectPartition(split, 100);
    expect(split.test.length).toBe(10);
    expect(trainTestSplit(labels, { testSize: 0.1 }).test.length).toBe(10);
    expect(trainTestSplit(labels, { testSize: 0.101 }).test.length).toBe(11); // rounded up
  });

  it('refuses splits it cannot make', () => {
    expect(() => trainTestSplit([0, 0, 1], {})).toThrow(/a class has only 1 member/);
    expect(() => trainTestSplit(labels, { testSize: 3 })).toThrow(
      /expected at least one sample per class in each set/,
    );
    expect(() => trainTestSplit(labels, { testSize: 100 })).toThrow(
      /leaves 100 of 100 samples for testing/,
    );
    expect(() => trainTestSplit([0, 1.5, 1, 0])).toThrow(/label 1 is 1.5/);
    expect(() => trainTestSplit(labels, { testsize: 0.2 } as never)).toThrow(
      /no option 'testsize'/,
    );
  });
});

describe('KFold', () => {
  it("cuts consecutive folds whose sizes follow scikit-learn's rule", () => {
    const folds = new KFold({ nSplits: 3 }).split(10);
    expect(folds.map((f) => Array.from(f.test))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(Array.from(folds[1].train)).toEqual([0, 1, 2, 3, 7, 8, 9]);
    folds.forEach((fold) => expectPartition(fold, 10));
  });

  it('shuffles with a seed; the test folds still partition the samples', () => {
    const folds = new KFold({ nSplits: 4, shuffle: true, seed: 7 }).split(23);
    expect(folds.map((f) => f.test.length)).toEqual([6, 6, 6, 5]);
    const all = folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 23 }, (_, i) => i));
    folds.forEach((fold) => expectPartition(fold, 23));
    expect(Array.from(folds[0].test)).not.toEqual([0, 1, 2, 3, 4, 5]);
    const again = new KFold({ nSplits: 4, shuffle: true, seed: 7 }).split(23);
    expect(again.map((f) => Array.from(f.test))).toEqual(folds.map((f) => Array.from(f.test)));
    expect(() => new KFold({ nSplits: 1 })).toThrow(/integer >= 2/);
    expect(() => new KFold({ nSplits: 5 }).split(4)).toThrow(/cannot make 5 folds of 4 samples/);
  });
});

describe('StratifiedKFold', () => {
  it("reproduces scikit-learn's documented example", () => {
    // StratifiedKFold(n_splits=2).split(X, [0, 0, 1, 1]): test folds [0, 2] and [1, 3].
    const folds = new StratifiedKFold({ nSplits: 2 }).split([0, 0, 1, 1]);
    expect(folds.map((f) => [Array.from(f.train), Array.from(f.test)])).toEqual([
      [
        [1, 3],
        [0, 2],
      ],
      [
        [0, 2],
        [1, 3],
      ],
    ]);
  });

  it('keeps class proportions in every fold and fold sizes within one', () => {
    const counts = [50, 30, 12, 8];
    const labels = labelsWithCounts(counts);
    for (const shuffle of [false, true]) {
      const folds = new StratifiedKFold({ nSplits: 5, shuffle, seed: 11 }).split(labels);
      const all = folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
      folds.forEach((fold) => {
        expectPartition(fold, 100);
        expect(fold.test.length).toBe(20);
        const perClass = countsOf(labels, fold.test, 4);
        counts.forEach((c, k) => expect(Math.abs(perClass[k] - c / 5)).toBeLessThan(1));
      });
    }
    const a = new StratifiedKFold({ shuffle: true, seed: 1 }).split(labels);
    const b = new StratifiedKFold({ shuffle: true, seed: 1 }).split(labels);
    const c = new StratifiedKFold({ shuffle: true, seed: 2 }).split(labels);
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    expect(a.map((f) => Array.from(f.test))).not.toEqual(c.map((f) => Array.from(f.test)));
    expect(() => new StratifiedKFold({ nSplits: 3 }).split([0, 0, 1, 1])).toThrow(
      /cannot make 3 folds: no class has that many members \(the largest has 2\)/,
    );
  });
});

describe('takeRows and takeLabels', () => {
  it('gather rows and labels by index', () => {
    const X = Tensor.from([0, 1, 2, 3, 4, 5], [3, 2]);
    expect(takeRows(X, [2, 0, 2]).toArray()).toEqual([
      [4, 5],
      [0, 1],
      [4, 5],
    ]);
    expect(takeRows(X.transpose(), [1]).toArray()).toEqual([[1, 3, 5]]);
    expect(Array.from(takeLabels([7, 8, 9], Int32Array.from([1, 1, 0])))).toEqual([8, 8, 7]);
    expect(() => takeRows(X, [3])).toThrow(
      /index 3 at position 0 is out of range: expected 0 <= i < 3/,
    );
  });

  it('gathers rows into shared memory on request', () => {
    const X = Tensor.from([0, 1, 2, 3, 4, 5], [3, 2]);
    const shared = takeRows(X, [1, 2], { shared: true });
    expect(shared.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.toArray()).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expect(takeRows(X, [1]).data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
