// SmoScans: the passes of an SMO iteration. The JavaScript loops are checked against the
// definitions (argmax / argmin keeping the last index, runners-up as a stable sort); the
// wasm-simd kernels, on arrays in a KernelsArena, against the loops, bit for bit, with the rows
// in place and staged.
import { afterAll, describe, expect, it } from 'vitest';
import {
  KernelsArena,
  Rng,
  RunnersUp,
  SmoScans,
  allocate,
  setBackend,
  type Allocator,
} from '@typedlearn/tensor';
import { localKernels, ownMemoryOf } from '../src/wasm/kernels.js';

afterAll(() => setBackend('auto'));

const TOP = 5;
const TAU = 1e-12;

interface Problem {
  G: Float64Array;
  upSign: Float64Array;
  lowSign: Float64Array;
  diagonal: Float64Array;
  /** Three rows of n floats, at 0, n and 2n. */
  rows: Float32Array;
}

/**
 * n samples: gradients drawn from a few values (ties), signs +-1 or NaN (non-candidates), and
 * rows that make some curvatures non-positive (tau is then used).
 */
function problem(n: number, seed: number, allocator: Allocator = allocate): Problem {
  const rng = new Rng(seed);
  const p: Problem = {
    G: allocator('float64', n),
    upSign: allocator('float64', n),
    lowSign: allocator('float64', n),
    diagonal: allocator('float64', n),
    rows: allocator('float32', 3 * n),
  };
  for (let k = 0; k < n; k++) {
    p.G[k] = Math.floor(rng.uniform() * 7) / 4 - 0.75;
    const y = rng.uniform() < 0.5 ? 1 : -1;
    p.upSign[k] = rng.uniform() < 0.3 ? NaN : -y;
    p.lowSign[k] = rng.uniform() < 0.3 ? NaN : y;
    p.diagonal[k] = rng.uniform() < 0.1 ? 0 : 1;
  }
  for (let k = 0; k < 3 * n; k++) p.rows[k] = rng.uniform() * 1.2 - 0.6;
  return p;
}

function copy(p: Problem, allocator: Allocator): Problem {
  const out = problem(p.G.length, 0, allocator);
  out.G.set(p.G);
  out.upSign.set(p.upSign);
  out.lowSign.set(p.lowSign);
  out.diagonal.set(p.diagonal);
  out.rows.set(p.rows);
  return out;
}

/** The `TOP` best (score, index), best first; equal scores in index order. */
function best(scores: (number | undefined)[]): { indices: number[]; scores: number[] } {
  const ranked = scores
    .map((score, index) => ({ score, index }))
    .filter((entry): entry is { score: number; index: number } => entry.score !== undefined)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, TOP);
  const indices = ranked.map((entry) => entry.index);
  const values = ranked.map((entry) => entry.score);
  while (indices.length < TOP) {
    indices.push(-1);
    values.push(-Infinity);
  }
  return { indices, scores: values };
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Every result of the three passes on `p`, in order: updated G, winners, runners-up. */
function runAll(p: Problem, allocator: Allocator): number[][] {
  const n = p.G.length;
  const scans = new SmoScans(allocator);
  const top = new RunnersUp(TOP, allocator);
  const results: number[][] = [];
  const record = () =>
    results.push([scans.index, scans.value, scans.secondMax, ...top.indices, ...top.scores]);
  scans.scan(p.G, p.upSign, n, top);
  record();
  scans.secondOrder(p.G, p.lowSign, p.diagonal, p.rows, 0, n, 0.9, 1, -2, TAU, top);
  record();
  // Row i as secondOrder read it (at 0), then a row it did not read.
  scans.gradientStep(p.G, p.upSign, p.rows, 0, 0.25, 2 * n, -1.5, n, top);
  record();
  results.push(Array.from(p.G));
  scans.gradientStep(p.G, p.upSign, p.rows, n, -0.5, 2 * n, 0.75, n, top);
  record();
  results.push(Array.from(p.G));
  return results;
}

describe('SmoScans', () => {
  it('on js: scan keeps the last index of the highest score and the runners-up in order', () => {
    setBackend('js');
    const p = problem(37, 3);
    const scans = new SmoScans();
    const top = new RunnersUp(TOP);
    scans.scan(p.G, p.upSign, 37, top);
    const scores = Array.from(p.G, (g, k) => (Number.isNaN(p.upSign[k]) ? undefined : p.upSign[k] * g)); // prettier-ignore
    const highest = Math.max(...scores.filter((s) => s !== undefined));
    expect(scans.value).toBe(highest);
    expect(scans.index).toBe(scores.lastIndexOf(highest));
    expect(scores.filter((s) => s === highest).length).toBeGreaterThan(1); // the tie is real
    const expected = best(scores);
    expect(Array.from(top.indices)).toEqual(expected.indices);
    expect(Array.from(top.scores)).toEqual(expected.scores);
  });

  it('on js: secondOrder minimises -b^2 / a over violating candidates, tau for a <= 0', () => {
    setBackend('js');
    const n = 37;
    const p = problem(n, 4);
    const [gMax, qdI, twoYi] = [0.9, 1, -2];
    const scans = new SmoScans();
    const top = new RunnersUp(TOP);
    scans.secondOrder(p.G, p.lowSign, p.diagonal, p.rows, n, n, gMax, qdI, twoYi, TAU, top);
    const decrease: (number | undefined)[] = [];
    let secondMax = -Infinity;
    let usedTau = false;
    for (let k = 0; k < n; k++) {
      const s = p.lowSign[k];
      if (Number.isNaN(s)) continue;
      secondMax = Math.max(secondMax, s * p.G[k]);
      const b = gMax + s * p.G[k];
      if (!(b > 0)) continue;
      let a = qdI + p.diagonal[k] - twoYi * s * p.rows[n + k];
      if (!(a > 0)) {
        a = TAU;
        usedTau = true;
      }
      decrease[k] = -(b * b) / a;
    }
    expect(usedTau).toBe(true);
    const least = Math.min(...decrease.filter((d) => d !== undefined));
    expect(scans.value).toBe(least);
    expect(scans.index).toBe(decrease.lastIndexOf(least));
    expect(scans.secondMax).toBe(secondMax);
    const expected = best(decrease.map((d) => (d === undefined ? undefined : -d)));
    expect(Array.from(top.indices)).toEqual(expected.indices);
  });

  it('on js: gradientStep adds Q_i delta_i + Q_j delta_j, then scans', () => {
    setBackend('js');
    const n = 37;
    const p = problem(n, 5);
    const G = p.G.slice();
    const scans = new SmoScans();
    scans.gradientStep(p.G, p.upSign, p.rows, n, 0.5, 2 * n, -0.25, n, new RunnersUp(TOP));
    for (let k = 0; k < n; k++) {
      expect(p.G[k]).toBe(G[k] + (p.rows[n + k] * 0.5 + p.rows[2 * n + k] * -0.25));
    }
    const check = new SmoScans();
    const p2 = { ...p, G: p.G.slice() };
    check.scan(p2.G, p.upSign, n, new RunnersUp(TOP));
    expect([scans.index, scans.value]).toEqual([check.index, check.value]);
  });

  it('on wasm-simd gives the JavaScript loops’ results bit for bit, rows in place or staged', () => {
    for (const n of [0, 1, 2, 3, 37, 64, 1001]) {
      for (const [rowsInArena, ownMemory] of [
        [true, false],
        [false, false],
        [true, true],
      ]) {
        const p = problem(n, 10 + n);
        setBackend('js');
        const expected = runAll(copy(p, allocate), allocate);
        setBackend('wasm-simd');
        // The thread's kernels memory, or a memory of the arena's own (as an SVM solver's).
        const arena = ownMemory ? KernelsArena.ownMemory(2 ** 20, allocate) : new KernelsArena(allocate); // prettier-ignore
        try {
          const resident = copy(p, arena.allocate);
          const kernels = ownMemory ? ownMemoryOf(resident.G) : localKernels();
          if (n > 0) expect(kernels?.holds(resident.G, resident.rows)).toBe(true);
          if (!rowsInArena) resident.rows = p.rows.slice();
          const actual = runAll(resident, arena.allocate);
          for (let r = 0; r < expected.length; r++) {
            expect(sameBits(actual[r], expected[r]), `n ${n}, result ${r}`).toBe(true);
          }
        } finally {
          arena.release();
        }
      }
    }
  });

  it('refuses a count or a row that does not fit its arrays, naming them', () => {
    const p = problem(10, 1);
    const scans = new SmoScans();
    const top = new RunnersUp(TOP);
    expect(() => scans.scan(p.G, p.upSign, 11, top)).toThrow(/G must be a Float64Array of at least n = 11/); // prettier-ignore
    expect(() => scans.scan(p.G, p.upSign, -1, top)).toThrow(/n must be an integer >= 0/);
    expect(() => scans.gradientStep(p.G, p.upSign, p.rows, 25, 1, 0, 1, 10, top)).toThrow(/rows\[at \.\. at \+ n\)/); // prettier-ignore
    expect(() => scans.secondOrder(p.G, p.lowSign, p.diagonal.subarray(0, 5), p.rows, 0, 10, 1, 1, 2, TAU, top)).toThrow(/diagonal must be/); // prettier-ignore
    expect(() => new RunnersUp(0)).toThrow(/size must be an integer >= 1/);
  });
});
