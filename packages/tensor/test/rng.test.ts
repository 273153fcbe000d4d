import { describe, expect, it } from 'vitest';
import { Rng, ValueError } from '@typedlearn/tensor';

// Outputs of the authors' reference C code (xoshiro128starstar.c, Blackman & Vigna), and of
// that code seeded through splitmix32 (state = 4 successive outputs), computed independently.
const FROM_STATE_1_2_3_4 = [
  11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849,
];
const SEED_0 = [1789933344, 44971166, 2521387044, 3848737593, 1138324114, 749234105];
const SEED_42 = [660444221, 3652823732, 77672526, 910233633, 2297337756, 3786072677];

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextUint32());
}

/** Sample mean and variance of `count` values of `draw`. */
function moments(count: number, draw: () => number): { mean: number; variance: number } {
  let total = 0;
  let squares = 0;
  for (let i = 0; i < count; i++) {
    const x = draw();
    total += x;
    squares += x * x;
  }
  const mean = total / count;
  return { mean, variance: squares / count - mean * mean };
}

describe('Rng', () => {
  it('reproduces the xoshiro128** reference sequence', () => {
    expect(draws(Rng.fromState([1, 2, 3, 4]), 8)).toEqual(FROM_STATE_1_2_3_4);
  });

  it('reproduces the splitmix32-seeded reference streams; seed 0 is the default', () => {
    expect(draws(new Rng(0), 6)).toEqual(SEED_0);
    expect(draws(new Rng(), 6)).toEqual(SEED_0);
    expect(draws(new Rng(42), 6)).toEqual(SEED_42);
    expect(new Rng(42 + 2 ** 32).nextUint32()).toBe(SEED_42[0]);
  });

  it('draws uniform numbers in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(1);
    let low = 1;
    let high = 0;
    const { mean, variance } = moments(200_000, () => {
      const u = rng.uniform();
      low = Math.min(low, u);
      high = Math.max(high, u);
      return u;
    });
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it('draws Bernoulli masks that are uniform() < p, element for element, leaving the rest alone', () => {
    for (const p of [0, 0.25, 0.8, 1, 2 ** -32]) {
      const fast = new Rng(9);
      const reference = new Rng(9);
      reference.uniform(); // both skip one draw, so the state carried in is not the seed's
      fast.uniform();
      const mask = new Uint8Array(1003).fill(7);
      fast.bernoulli(mask, p, 2, 1001);
      expect(Array.from(mask.subarray(0, 2))).toEqual([7, 7]);
      expect(Array.from(mask.subarray(1001))).toEqual([7, 7]);
      for (let i = 2; i < 1001; i++) expect(mask[i]).toBe(reference.uniform() < p ? 1 : 0);
      // The generators go on in step.
      expect(fast.nextUint32()).toBe(reference.nextUint32());
    }
    const ones = new Uint8Array(100_000);
    new Rng(4).bernoulli(ones, 0.3);
    expect(ones.reduce((sum, bit) => sum + bit, 0) / ones.length).toBeCloseTo(0.3, 2);
  });

  it('draws normal deviates with the requested mean and standard deviation', () => {
    const rng = new Rng(2);
    const standard = moments(200_000, () => rng.normal());
    expect(standard.mean).toBeCloseTo(0, 2);
    expect(standard.variance).toBeCloseTo(1, 1);
    const shifted = moments(100_000, () => rng.normal(3, 0.5));
    expect(shifted.mean).toBeCloseTo(3, 2);
    expect(shifted.variance).toBeCloseTo(0.25, 2);
    // Tail mass beyond 3 sigma is 0.27% for a normal distribution.
    let tail = 0;
    for (let i = 0; i < 100_000; i++) if (Math.abs(rng.normal()) > 3) tail++;
    expect(tail / 100_000).toBeCloseTo(0.0027, 3);
  });

  it('draws integers in [0, n) uniformly (chi-square test) and refuses bad n', () => {
    const rng = new Rng(3);
    const n = 10;
    const trials = 100_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < trials; i++) counts[rng.int(n)]++;
    const expected = trials / n;
    const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.9); // the 99.9% quantile for 9 degrees of freedom
    expect(new Rng(4).int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow(ValueError);
    expect(() => rng.int(2.5)).toThrow(/integer n in \[1, 2\^32\], got 2.5/);
  });

  it('maps each accepted 32-bit draw x to x mod n, rejecting the last incomplete block', () => {
    // Exact integer arithmetic (BigInt) as the reference, for n across the whole range,
    // including n above 2^31 where about half of the draws are rejected.
    for (const n of [1, 3, 10, 784, 60_000, 2 ** 31 + 11, 2 ** 32 - 5, 2 ** 32]) {
      const drawn = new Rng(11);
      const raw = new Rng(11);
      const limit = (2n ** 32n / BigInt(n)) * BigInt(n);
      for (let i = 0; i < 2_000; i++) {
        let x = BigInt(raw.nextUint32());
        while (x >= limit) x = BigInt(raw.nextUint32());
        expect(drawn.int(n)).toBe(Number(x % BigInt(n)));
      }
    }
  });

  it('shuffles arrays and typed arrays into uniformly random permutations', () => {
    const rng = new Rng(5);
    const seen = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    const order = rng.permutation(1023);
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 1023 }, (_, i) => i));
  });

  it('samples with replacement inside [0, n)', () => {
    const sample = new Rng(6).sampleWithReplacement(17, 10_000);
    expect(sample.length).toBe(10_000);
    expect(Math.min(...sample)).toBe(0);
    expect(Math.max(...sample)).toBe(16);
    expect(new Set(sample).size).toBe(17);
    expect(() => new Rng(6).sampleWithReplacement(0, 3)).toThrow(ValueError);
  });

  it('forks streams determined by (seed, stream) alone', () => {
    const parent = new Rng(7);
    const first = draws(parent.fork(3), 4);
    draws(parent, 100); // consuming the parent does not change its forks
    expect(draws(parent.fork(3), 4)).toEqual(first);
    expect(draws(new Rng(7).fork(3), 4)).toEqual(first);
    expect(draws(parent.fork(4), 4)).not.toEqual(first);
    expect(draws(new Rng(8).fork(3), 4)).not.toEqual(first);
    expect(draws(parent.fork(0), 4)).not.toEqual(draws(new Rng(7), 4));
  });

  it('gives uncorrelated neighbouring forks', () => {
    const a = new Rng(9).fork(0);
    const b = new Rng(9).fork(1);
    const n = 50_000;
    let product = 0;
    for (let i = 0; i < n; i++) product += (a.uniform() - 0.5) * (b.uniform() - 0.5);
    // Correlation = E[(a - 1/2)(b - 1/2)] / (1/12); its standard error is 1 / sqrt(n).
    expect(Math.abs((product / n) * 12)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('refuses non-integer seeds and an all-zero state', () => {
    expect(() => new Rng(0.5)).toThrow(/seed must be an integer, got 0.5/);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(ValueError);
    expect(() => new Rng(1).fork(-1)).toThrow(ValueError);
  });
});
