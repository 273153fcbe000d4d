import { describe, expect, it } from 'vitest';
import { Rng } from '@typedlearn/tensor';
import {
  addLeafShares,
  leafValueRow,
  packedLeaf,
  packTrees,
  unpackTree,
  type PackedTrees,
  type TreeNodes,
} from '../src/forest/packed-trees.js';

/**
 * Two trees over 2 features and 2 classes. Tree 0 numbers its right child before its left
 * one (as a model file may), tree 1 is a single leaf.
 *
 * Tree 0: node 0 splits x0 <= 0.5; left is node 2, which splits x1 <= 0.25 into leaves 3
 * (left) and 4 (right); right is leaf 1.
 */
const trees: TreeNodes[] = [
  {
    feature: Int32Array.of(0, -1, 1, -1, -1),
    threshold: Float32Array.of(0.5, 0, 0.25, 0, 0),
    left: Int32Array.of(2, -1, 3, -1, -1),
    right: Int32Array.of(1, -1, 4, -1, -1),
    value: Float32Array.of(0.5, 0.5, 0.1, 0.9, 0.6, 0.4, 1, 0, 0, 1),
  },
  {
    feature: Int32Array.of(-1),
    threshold: Float32Array.of(0),
    left: Int32Array.of(-1),
    right: Int32Array.of(-1),
    value: Float32Array.of(0.75, 0.25),
  },
];

/** The leaf of tree 0 a row reaches, by the rules above. */
function expectedLeaf(x0: number, x1: number): number {
  if (x0 > 0.5) return 1;
  return x1 <= 0.25 ? 3 : 4;
}

/** Class 0's share in the leaf of tree `t` that row `i` of the 2-feature `x` reaches. */
function firstShare(packed: PackedTrees, t: number, x: Float32Array, i: number): number {
  const leaf = packedLeaf(packed, packed.roots[t], x, 2 * i);
  return packed.values[t][2 * leafValueRow(packed, t, leaf)];
}

describe('packTrees', () => {
  it('walks every row to the leaf the node arrays lead to, whatever the node order', () => {
    const packed = packTrees(trees, 2);
    // Rows on both sides of each threshold, and exactly on it (equal goes left).
    const rows = [
      [0.2, 0.1],
      [0.5, 0.25],
      [0.5, 0.26],
      [0.51, 0],
      [0, 0.9],
      [1, 1],
      [-3, 0.25],
    ];
    const x = Float32Array.from(rows.flat());
    for (const [i, [x0, x1]] of rows.entries()) {
      expect(firstShare(packed, 0, x, i)).toBe(trees[0].value[2 * expectedLeaf(x0, x1)]);
      expect(firstShare(packed, 1, x, i)).toBe(0.75);
    }
    // Seven rows: fewer than a lockstep group of eight, so each is walked alone.
    const sums = new Float64Array(rows.length * 2);
    addLeafShares(packed, x, rows.length, 2, 2, sums);
    for (const [i, [x0, x1]] of rows.entries()) {
      // Exactly the sums of the leaves' shares, pure leaves (3 and 4) included.
      const leaf = expectedLeaf(x0, x1);
      expect(sums[2 * i]).toBe(0 + trees[0].value[2 * leaf] + trees[1].value[0]);
      expect(sums[2 * i + 1]).toBe(0 + trees[0].value[2 * leaf + 1] + trees[1].value[1]);
    }
  });

  it("adds 1 to a pure leaf's class without reading its row of shares", () => {
    const packed = packTrees(trees, 2);
    // Spoil the rows of the pure leaves (packed rows 2 and 3: old nodes 3 and 4) and of the
    // mixed leaf (packed row 4, old node 1): only the mixed leaf's row is read.
    packed.values[0].set([7, 7, 7, 7, 0.3, 0.7], 4);
    const x = Float32Array.of(0.2, 0.1, 0.2, 0.9, 0.9, 0.9);
    const sums = new Float64Array(3 * 2);
    addLeafShares(packed, x, 3, 2, 2, sums);
    const shares = (a: number, b: number) => [a + 0.75, b + 0.25].map((v) => Math.fround(v));
    expect(Array.from(sums, Math.fround)).toEqual([
      ...shares(1, 0),
      ...shares(0, 1),
      ...shares(0.3, 0.7),
    ]);
  });

  it('agrees with single walks on random rows in blocks larger than one lockstep group', () => {
    const packed = packTrees(trees, 2);
    const rng = new Rng(4);
    const count = 2051; // crosses a row block; lockstep groups of eight and three walked alone
    const x = new Float32Array(2 * count);
    for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
    const sums = new Float64Array(2 * count);
    addLeafShares(packed, x, count, 2, 2, sums);
    for (let i = 0; i < count; i++) {
      const leaf = expectedLeaf(x[2 * i], x[2 * i + 1]);
      expect(sums[2 * i]).toBeCloseTo(trees[0].value[2 * leaf] + 0.75, 6);
    }
  });

  it('unpacks to depth-first node arrays that pack to the same records', () => {
    const packed = packTrees(trees, 2);
    const unpacked = unpackTree(packed, 0);
    // Depth-first order: 0, then the left subtree (old 2, 3, 4), then the right leaf (old 1).
    expect(Array.from(unpacked.feature)).toEqual([0, 1, -1, -1, -1]);
    expect(Array.from(unpacked.left)).toEqual([1, 2, -1, -1, -1]);
    expect(Array.from(unpacked.right)).toEqual([4, 3, -1, -1, -1]);
    expect(Array.from(unpacked.threshold)).toEqual([0.5, 0.25, 0, 0, 0]);
    expect(Array.from(unpacked.value)).toEqual(
      [0.5, 0.5, 0.6, 0.4, 1, 0, 0, 1, 0.1, 0.9].map(Math.fround),
    );
    const again = packTrees([unpacked, unpackTree(packed, 1)], 2);
    expect(again.words).toEqual(packed.words);
    // A tree already in depth-first order keeps its class-share array.
    expect(again.values[0]).toBe(unpacked.value);
  });
});
