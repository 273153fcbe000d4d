import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, ValueError } from '@typedlearn/tensor';
import { ovrDecisionScores } from '../src/index.js';

describe('ovrDecisionScores', () => {
  it('gives votes plus squashed confidence, by hand for three classes', () => {
    // Pairs (0,1), (0,2), (1,2); positive votes for the first class of the pair.
    const decision = new Tensor(Float32Array.of(2, -1, 0.5), [1, 3]);
    const scores = ovrDecisionScores(decision, 3);
    expect(scores.shape).toEqual([1, 3]);
    // Class 0: wins (0,1), loses (0,2); s = 2 + (-1) = 1 -> 1 + 1/6.
    // Class 1: loses (0,1), wins (1,2); s = -2 + 0.5 = -1.5 -> 1 - 1.5/7.5.
    // Class 2: wins (0,2), loses (1,2); s = 1 - 0.5 = 0.5 -> 1 + 0.5/4.5.
    expect(scores.get(0, 0)).toBeCloseTo(1 + 1 / 6, 6);
    expect(scores.get(0, 1)).toBeCloseTo(1 - 1.5 / 7.5, 6);
    expect(scores.get(0, 2)).toBeCloseTo(1 + 0.5 / 4.5, 6);
  });

  it('gives a two-class vector as [-d, d], positive for the second class', () => {
    const scores = ovrDecisionScores(new Tensor(Float32Array.of(1.5, -0.25), [2]), 2);
    expect(Array.from(scores.data)).toEqual([-1.5, 1.5, 0.25, -0.25]);
  });

  it('refuses decision values of the wrong shape, naming the one expected', () => {
    expect(() => ovrDecisionScores(new Tensor(new Float32Array(8), [2, 4]), 4)).toThrow(ShapeError);
    expect(() => ovrDecisionScores(new Tensor(new Float32Array(8), [2, 4]), 4)).toThrow(
      /\[rows, 6\]/,
    );
    expect(() => ovrDecisionScores(new Tensor(new Float32Array(2), [2]), 1)).toThrow(ValueError);
  });
});
