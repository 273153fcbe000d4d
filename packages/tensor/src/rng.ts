import { ValueError } from './errors.js';

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA = 0x9e3779b9;

/**
 * A seeded pseudo-random generator: xoshiro128** 1.0 (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 2021), whose 128-bit state is filled from the seed
 * by splitmix32. Every operation is 32-bit integer arithmetic (`Math.imul`, shifts), so the
 * same seed gives the same stream on every platform and JavaScript engine.
 *
 * Period 2^128 - 1; not cryptographically secure.
 */
export class Rng {
  /** The seed this generator was created from (a 32-bit unsigned integer). */
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last Box–Muller pair, or NaN when none is pending. */
  private spareNormal = Number.NaN;

  /**
   * @param seed Any integer (default 0); it is reduced to 32 bits, so `seed` and
   *   `seed + 2**32` give the same stream.
   */
  constructor(seed = 0) {
    if (!Number.isInteger(seed)) {
      throw new ValueError(`Rng seed must be an integer, got ${seed}`);
    }
    this.seed = seed >>> 0;
    const mixer = new SplitMix32(this.seed);
    this.s0 = mixer.next();
    this.s1 = mixer.next();
    this.s2 = mixer.next();
    this.s3 = mixer.next();
  }

  /**
   * A generator whose xoshiro128** state is exactly `state` (four 32-bit words, not all zero),
   * bypassing the splitmix32 seeding. Used to check the implementation against the
   * reference code's outputs; ordinary callers use `new Rng(seed)`.
   */
  static fromState(state: readonly [number, number, number, number]): Rng {
    if (state.every((word) => word >>> 0 === 0)) {
      throw new ValueError('xoshiro128** state must not be all zero (the generator would stick)');
    }
    const rng = new Rng(0);
    rng.s0 = state[0] >>> 0;
    rng.s1 = state[1] >>> 0;
    rng.s2 = state[2] >>> 0;
    rng.s3 = state[3] >>> 0;
    return rng;
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform number in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * Bernoulli draws into `out[start..end)`: 1 with probability `p`, else 0. Element i is 1 when
   * the i-th {@link uniform} draw is below `p`, so the stream and the results are exactly those
   * of calling `uniform()` once per element, but the generator's state stays in local
   * variables for the whole loop (a dropout mask takes millions of draws per epoch).
   */
  bernoulli(out: Uint8Array, p: number, start = 0, end = out.length): void {
    // uniform() < p  <=>  nextUint32() < p * 2^32: scaling by a power of two is exact.
    const threshold = p * TWO_POW_32;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = start; i < end; i++) {
      // nextUint32(), on the local state.
      const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = +(result < threshold); // branch-free, where `? 1 : 0` is often mispredicted
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /**
   * A normal deviate with the given `mean` (default 0) and standard deviation `std`
   * (default 1), by the Box–Muller transform; the second value of each pair is kept for the
   * next call.
   */
  normal(mean = 0, std = 1): number {
    let z = this.spareNormal;
    if (Number.isNaN(z)) {
      // u1 in (0, 1] keeps the logarithm finite.
      const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
      const angle = 2 * Math.PI * this.uniform();
      z = radius * Math.cos(angle);
      this.spareNormal = radius * Math.sin(angle);
    } else {
      this.spareNormal = Number.NaN;
    }
    return mean + std * z;
  }

  /**
   * A uniform integer in [0, n), without modulo bias: draws whose value falls in the last,
   * incomplete block of n are rejected (at most half of all draws, usually far fewer).
   * `n` must be an integer in [1, 2^32].
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new ValueError(`Rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
    }
    // Quotients instead of the % operator: x and 2^32 exceed the int32 range, where V8's %
    // is a floating-point remainder call about three times slower than this. floor(x / n) is
    // exact, since x / n is at least 1/n below the next integer, far beyond rounding error.
    const limit = Math.floor(TWO_POW_32 / n) * n;
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x - Math.floor(x / n) * n;
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. Works on arrays and typed arrays. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = a[i];
      a[i] = a[j];
      a[j] = held;
    }
    return a;
  }

  /** The integers 0..n-1 in random order. */
  permutation(n: number): Int32Array {
    checkCount(n, 'permutation(n)');
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /** `k` indices drawn uniformly from [0, n) with replacement (a bootstrap sample). */
  sampleWithReplacement(n: number, k: number): Int32Array {
    checkCount(k, 'sampleWithReplacement(n, k): k');
    if (k > 0 && !(Number.isInteger(n) && n >= 1)) {
      throw new ValueError(`sampleWithReplacement(n, k) needs n >= 1 to draw from, got ${n}`);
    }
    const sample = new Int32Array(k);
    for (let i = 0; i < k; i++) sample[i] = this.int(n);
    return sample;
  }

  /**
   * An independent generator for sub-task `stream` (e.g. a tree index), determined by this
   * generator's seed and `stream` only, not by how much of this stream was consumed. So work
   * split over threads draws the same numbers whatever the thread count.
   */
  fork(stream: number): Rng {
    if (!Number.isInteger(stream) || stream < 0) {
      throw new ValueError(`Rng.fork(stream) needs a non-negative integer, got ${stream}`);
    }
    // Hash (seed, stream) to a new seed; two finaliser rounds decorrelate neighbouring streams.
    const mixer = new SplitMix32(this.seed ^ mix32((stream >>> 0) + GOLDEN_GAMMA));
    return new Rng(mixer.next() ^ mix32(Math.floor(stream / TWO_POW_32)));
  }
}

/**
 * splitmix32: a Weyl sequence (step 0x9e3779b9, the golden ratio in 32 bits) passed through a
 * 32-bit avalanche finaliser. Used only to turn one seed into xoshiro's 128-bit state, as the
 * xoshiro authors recommend.
 */
class SplitMix32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + GOLDEN_GAMMA) >>> 0;
    return mix32(this.state);
  }
}

/** 32-bit avalanche finaliser (constants from Hash Prospector, "lowbias32"-style). */
function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new ValueError(`${what} must be a non-negative integer, got ${n}`);
  }
}
