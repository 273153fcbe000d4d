import { describe, expect, it } from 'vitest';
import { PairwiseCoupling } from '../src/svm/pairwise-coupling.js';
import { fitSigmoid, sigmoidProbability } from '../src/svm/platt-scaling.js';

describe("Platt's sigmoid", () => {
  it('fits the smoothed targets exactly when two decision values carry the labels', () => {
    // n samples at f = +1 labelled +1 and n at f = -1 labelled -1: the optimum puts
    // P(+1 | f=1) at the target (n+1)/(n+2) and P(+1 | f=-1) at 1/(n+2), i.e. B = 0 and
    // A = -log(n + 1).
    const n = 10;
    const f = Float64Array.from({ length: 2 * n }, (_, i) => (i < n ? 1 : -1));
    const labels = Int8Array.from({ length: 2 * n }, (_, i) => (i < n ? 1 : -1));
    const { A, B } = fitSigmoid(f, labels);
    expect(A).toBeCloseTo(-Math.log(n + 1), 4);
    expect(B).toBeCloseTo(0, 4);
    expect(sigmoidProbability(1, A, B)).toBeCloseTo((n + 1) / (n + 2), 4);
  });

  it('with uninformative decision values, predicts the mean smoothed target', () => {
    // All f = 0: only B matters, and the best B makes P(+1) the mean of the targets.
    const f = new Float64Array(8);
    const labels = Int8Array.from([1, 1, 1, -1, -1, -1, -1, -1]);
    const { B } = fitSigmoid(f, labels);
    const hi = 4 / 5;
    const lo = 1 / 7;
    const meanTarget = (3 * hi + 5 * lo) / 8;
    expect(sigmoidProbability(0, 0, B)).toBeCloseTo(meanTarget, 4);
  });

  it('is stable for huge decision values', () => {
    for (const f of [-1e6, -50, 0, 50, 1e6]) {
      const p = sigmoidProbability(f, -3, 0.5);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
    expect(sigmoidProbability(1e6, -3, 0.5)).toBe(1);
    expect(sigmoidProbability(-1e6, -3, 0.5)).toBe(0);
  });
});

describe('pairwise coupling (Wu, Lin & Weng, method 2)', () => {
  function consistentPairs(p: number[]): Float64Array {
    const k = p.length;
    const r = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) if (i !== j) r[i * k + j] = p[i] / (p[i] + p[j]);
    return r;
  }

  it('recovers the class probabilities from consistent pairwise ones', () => {
    const truth = [0.5, 0.2, 0.15, 0.1, 0.05];
    const coupling = new PairwiseCoupling(truth.length);
    const p = new Float64Array(truth.length);
    coupling.couple(consistentPairs(truth), p);
    // The iteration stops once the optimality conditions hold within 0.005 / k (LIBSVM's rule).
    for (let c = 0; c < truth.length; c++) expect(Math.abs(p[c] - truth[c])).toBeLessThan(0.005);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });

  it('for two classes returns the pairwise probability itself', () => {
    const coupling = new PairwiseCoupling(2);
    const p = new Float64Array(2);
    coupling.couple(Float64Array.from([0, 0.7, 0.3, 0]), p);
    expect(p[0]).toBeCloseTo(0.7, 6);
    expect(p[1]).toBeCloseTo(0.3, 6);
  });

  it('gives a distribution even for inconsistent pairwise votes', () => {
    // A cycle: 0 beats 1, 1 beats 2, 2 beats 0, all at 0.9: by symmetry, uniform.
    const r = Float64Array.from([0, 0.9, 0.1, 0.1, 0, 0.9, 0.9, 0.1, 0]);
    const p = new Float64Array(3);
    new PairwiseCoupling(3).couple(r, p);
    for (const v of p) expect(v).toBeCloseTo(1 / 3, 6);
  });
});
