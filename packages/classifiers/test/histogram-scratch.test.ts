import { describe, expect, it } from 'vitest';
import {
  FEATURES_PER_PASS,
  HistogramScratch,
  OCCUPIED_WORDS,
} from '../src/forest/histogram-scratch.js';

/**
 * Everything a sweep takes out of one slot, highest bin first, as the splitter's sweep does:
 * each occupied bin's number of samples, class mask and class weights.
 */
function takeAll(scratch: HistogramScratch, slot: number, nClasses: number) {
  const bins: { bin: number; samples: number; mask: number; weights: number[] }[] = [];
  for (let word = OCCUPIED_WORDS - 1; word >= 0; word--) {
    let bits = scratch.takeOccupiedWord(slot, word);
    while (bits !== 0) {
      const high = 31 - Math.clz32(bits);
      bits ^= 1 << high;
      const bin = (word << 5) | high;
      const at = scratch.weightsOf(slot, bin);
      const weights = new Array<number>(nClasses).fill(0);
      const mask = scratch.takeClassMask(slot, bin);
      let classes = mask;
      while (classes !== 0) {
        const lowest = classes & -classes;
        classes ^= lowest;
        for (let k = 31 - Math.clz32(lowest); k < nClasses; k += 32) {
          weights[k] = scratch.takeWeight(at, k);
        }
      }
      bins.push({ bin, samples: scratch.takeSampleCount(slot, bin), mask, weights });
    }
  }
  return bins;
}

describe('HistogramScratch', () => {
  it('gives back, per slot and highest bin first, the samples, class weights and classes added', () => {
    const scratch = new HistogramScratch(3);
    scratch.add(0, 5, 1, 2);
    scratch.add(0, 5, 1, 0.5);
    scratch.add(0, 5, 2, 1);
    scratch.add(0, 200, 0, 3);
    scratch.add(FEATURES_PER_PASS - 1, 40, 2, 1);

    expect(takeAll(scratch, 0, 3)).toEqual([
      { bin: 200, samples: 1, mask: 0b001, weights: [3, 0, 0] },
      { bin: 5, samples: 3, mask: 0b110, weights: [0, 2.5, 1] },
    ]);
    expect(takeAll(scratch, 1, 3)).toEqual([]);
    expect(takeAll(scratch, FEATURES_PER_PASS - 1, 3)).toEqual([
      { bin: 40, samples: 1, mask: 0b100, weights: [0, 0, 1] },
    ]);
  });

  it('is empty again once swept, for the next fill and for any other scratch of the thread', () => {
    const first = new HistogramScratch(2);
    first.add(1, 7, 0, 1);
    first.add(1, 255, 1, 4);
    takeAll(first, 1, 2);
    expect(takeAll(first, 1, 2)).toEqual([]);
    first.add(1, 7, 0, 2);
    expect(takeAll(first, 1, 2)).toEqual([{ bin: 7, samples: 1, mask: 0b01, weights: [2, 0] }]);

    // The per-bin bookkeeping is shared by every scratch of a thread: nothing is left over.
    const second = new HistogramScratch(2);
    expect(takeAll(second, 1, 2)).toEqual([]);
    second.add(1, 7, 1, 2);
    expect(takeAll(second, 1, 2)).toEqual([{ bin: 7, samples: 1, mask: 0b10, weights: [0, 2] }]);
  });

  it('with more than 32 classes, a mask bit stands for every class k + 32 j', () => {
    const scratch = new HistogramScratch(40);
    scratch.add(2, 9, 1, 1);
    scratch.add(2, 9, 17, 2);
    scratch.add(2, 9, 33, 5);
    const [bin] = takeAll(scratch, 2, 40);
    expect(bin.samples).toBe(3);
    expect(bin.mask).toBe((1 << 1) | (1 << 17));
    expect(bin.weights[1]).toBe(1);
    expect(bin.weights[17]).toBe(2);
    expect(bin.weights[33]).toBe(5);
    expect(bin.weights.reduce((sum, w) => sum + w, 0)).toBe(8);
  });
});
