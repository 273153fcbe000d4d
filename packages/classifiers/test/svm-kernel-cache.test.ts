import { describe, expect, it } from 'vitest';
import { KernelCache } from '../src/svm/kernel-cache.js';

/** A cache for a 6 x 6 matrix whose slab holds `rows` rows. */
function cacheOf(rows: number, length = 6): KernelCache {
  return new KernelCache(new Float32Array(rows * length), length, 2);
}

/** Claims `row` and fills its first `valid` entries with row * 10 + column. */
function put(cache: KernelCache, row: number, valid = cache.rowLength): number {
  const slot = cache.claim(row);
  for (let t = 0; t < valid; t++) cache.data[cache.offset(slot) + t] = row * 10 + t;
  cache.setValidLength(slot, valid);
  return slot;
}

function read(cache: KernelCache, row: number): number[] {
  const slot = cache.find(row);
  if (slot < 0) return [];
  const at = cache.offset(slot);
  return Array.from(cache.data.subarray(at, at + cache.validLength(slot)));
}

describe('KernelCache', () => {
  it('holds as many rows as the slab allows, never more than the matrix has', () => {
    expect(cacheOf(3).capacity).toBe(3);
    expect(new KernelCache(new Float32Array(100), 6, 2).capacity).toBe(6);
    expect(() => new KernelCache(new Float32Array(6), 6, 2)).toThrow(/fewer than 2 rows/);
  });

  it('evicts the least recently used row when full', () => {
    const cache = cacheOf(3);
    put(cache, 0);
    put(cache, 1);
    put(cache, 2);
    expect(cache.freeSlots()).toBe(0);
    put(cache, 3); // evicts 0, the oldest
    expect(cache.has(0)).toBe(false);
    expect([1, 2, 3].every((r) => cache.has(r))).toBe(true);
  });

  it('counts a lookup as a use', () => {
    const cache = cacheOf(3);
    put(cache, 0);
    put(cache, 1);
    put(cache, 2);
    expect(cache.find(0)).toBeGreaterThanOrEqual(0); // 0 is now the most recent
    put(cache, 3); // evicts 1
    expect(cache.has(1)).toBe(false);
    expect(cache.has(0)).toBe(true);
    put(cache, 4); // evicts 2
    expect(cache.has(2)).toBe(false);
    expect(read(cache, 0)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a claimed slot starts with nothing computed; has() does not count as a use', () => {
    const cache = cacheOf(2);
    put(cache, 0);
    put(cache, 1);
    expect(cache.has(0)).toBe(true);
    const slot = cache.claim(2); // 0 is still the least recently used
    expect(cache.validLength(slot)).toBe(0);
    expect(cache.has(0)).toBe(false);
    expect(cache.find(5)).toBe(-1);
  });

  it('swapIndex renames rows and swaps their entries inside every cached row', () => {
    const cache = cacheOf(6);
    put(cache, 1);
    put(cache, 4);
    cache.swapIndex(1, 4);
    // The row cached as 1 is now row 4, with its entries 1 and 4 exchanged, and vice versa.
    expect(read(cache, 4)).toEqual([10, 14, 12, 13, 11, 15]);
    expect(read(cache, 1)).toEqual([40, 44, 42, 43, 41, 45]);
  });

  it('a row computed past i but not past j keeps only its prefix [0, i)', () => {
    const cache = cacheOf(6);
    put(cache, 0, 3); // entries 0..2
    put(cache, 5, 6);
    cache.swapIndex(1, 4);
    expect(read(cache, 0)).toEqual([0]);
    expect(read(cache, 5)).toEqual([50, 54, 52, 53, 51, 55]);
  });

  it('applies a burst of swaps exactly as one-at-a-time swaps would', () => {
    const cache = cacheOf(6);
    for (let r = 0; r < 6; r++) put(cache, r);
    const swaps: [number, number][] = [
      [0, 5],
      [1, 4],
      [0, 3],
      [2, 5],
    ];
    // The expected matrix: start from M[r][c] = 10 r + c and permute rows and columns.
    const order = [0, 1, 2, 3, 4, 5];
    for (const [i, j] of swaps) {
      cache.swapIndex(i, j);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let r = 0; r < 6; r++) {
      expect(read(cache, r)).toEqual(order.map((c) => order[r] * 10 + c));
    }
  });
});
