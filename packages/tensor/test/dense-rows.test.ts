import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  DenseRows,
  DTypeError,
  Rng,
  ShapeError,
  ValueError,
  setBackend,
} from '@typedlearn/tensor';
import { randomArray } from './helpers/reference.js';

/** Every row-kernel test runs on each backend, against the same float64 reference. */
const BACKENDS: Backend[] = ['js', 'wasm-simd'];

type Kind = 'rowDots' | 'rowSquaredDistances';

/**
 * Checks out[from..to) against float64 sums of q_k * x_k (or (q_k - x_k)^2) over the rows
 * rowOf(t) of x, to `tolerance` times the sum of the terms' magnitudes, and that `out` still
 * holds -1 everywhere else.
 */
function checkRow(
  kind: Kind,
  x: Float32Array,
  cols: number,
  q: Float32Array,
  out: Float32Array | Float64Array,
  rowOf: (t: number) => number,
  [from, to]: [number, number],
  tolerance: number,
): void {
  for (let t = 0; t < out.length; t++) {
    if (t < from || t >= to) {
      expect(out[t], 'outside [from, to) is not written').toBe(-1);
      continue;
    }
    const base = rowOf(t) * cols;
    let value = 0;
    let magnitude = 0;
    for (let k = 0; k < cols; k++) {
      const term = kind === 'rowDots' ? q[k] * x[base + k] : (q[k] - x[base + k]) ** 2;
      value += term;
      magnitude += Math.abs(term);
    }
    // A float32 out rounds the result once more.
    const bound = out instanceof Float32Array ? Math.max(tolerance, 2 ** -23) : tolerance;
    expect(Math.abs(out[t] - value)).toBeLessThanOrEqual(bound * magnitude + 1e-30);
  }
}

describe.each(BACKENDS)('DenseRows on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));
  // float64 sums (js) round a few times; float32 sums (wasm) up to about `cols` times.
  const tolerance = (cols: number): number =>
    backend === 'js' ? 1e-12 : Math.max(1e-6, (cols + 8) * 2 ** -24);

  it('uses the backend active when it was made', () => {
    expect(new DenseRows(new Float32Array(6), 2, 3).backend).toBe(backend);
  });

  for (const cols of [1, 3, 7, 17, 33, 100, 257]) {
    it(`computes dot products and squared distances of ${cols}-feature rows`, () => {
      const rng = new Rng(cols);
      const rows = 23;
      const x = randomArray(rng, rows * cols);
      const set = new DenseRows(x, rows, cols);
      const targets = Int32Array.from([5, 0, 22, 5, 13, 7, 1]);
      const outside = randomArray(rng, cols);
      for (const kind of ['rowDots', 'rowSquaredDistances'] as const) {
        for (const query of [4, outside]) {
          const q =
            typeof query === 'number' ? x.subarray(query * cols, (query + 1) * cols) : query;
          const check = (out: Float32Array | Float64Array, rowOf: (t: number) => number, range: [number, number]): void =>
            checkRow(kind, x, cols, q, out, rowOf, range, tolerance(cols)); // prettier-ignore
          const all = (t: number): number => t;
          const listed = (t: number): number => targets[t];
          check(set[kind](query, new Float64Array(rows).fill(-1)), all, [0, rows]);
          check(set[kind](query, new Float32Array(rows).fill(-1)), all, [0, rows]);
          check(set[kind](query, new Float64Array(9).fill(-1), targets, 2, 6), listed, [2, 6]);
          check(set[kind](query, new Float32Array(7).fill(-1), targets), listed, [0, 7]);
        }
      }
    });
  }

  it('gives each value the same bits whichever call computes it', () => {
    const rng = new Rng(9);
    const [rows, cols] = [40, 101];
    const set = new DenseRows(randomArray(rng, rows * cols), rows, cols);
    const all = set.rowSquaredDistances(3, new Float32Array(rows));
    const dots = set.rowDots(3, new Float32Array(rows));
    for (const t of [0, 17, 39]) {
      const one = Int32Array.of(t);
      expect(set.rowSquaredDistances(3, new Float32Array(1), one)[0]).toBe(all[t]);
      expect(set.rowDots(3, new Float32Array(1), one)[0]).toBe(dots[t]);
    }
    expect(all[3]).toBe(0); // a row to itself: every difference is exactly 0
  });

  it('keeps a snapshot of the rows', () => {
    const x = Float32Array.of(1, 2, 3, 4);
    const set = new DenseRows(x, 2, 2);
    x.fill(0);
    expect([...set.rowDots(0, new Float64Array(2))]).toEqual([5, 11]);
    expect([...set.rowSquaredDistances(1, new Float64Array(2))]).toEqual([8, 0]);
  });

  it('handles empty ranges, zero features and zero rows', () => {
    expect([...new DenseRows(new Float32Array(0), 3, 0).rowDots(1, new Float64Array(3))]).toEqual([0, 0, 0]); // prettier-ignore
    expect(new DenseRows(new Float32Array(0), 0, 4).rowSquaredDistances(new Float32Array(4), new Float64Array(0)).length).toBe(0); // prettier-ignore
    const set = new DenseRows(Float32Array.of(1, 2), 2, 1);
    expect([...set.rowDots(0, Float64Array.of(7, 7), undefined, 1, 1)]).toEqual([7, 7]);
  });

  it('refuses bad input with clear errors', () => {
    const x = new Float32Array(6);
    expect(() => new DenseRows(new Float64Array(6) as never, 2, 3)).toThrow(DTypeError);
    expect(() => new DenseRows(x, 3, 3)).toThrow(/a 3 x 3 matrix needs 9 elements, got 6/);
    expect(() => new DenseRows(x, -1, 3)).toThrow(ValueError);
    const set = new DenseRows(x, 2, 3);
    const out = new Float64Array(2);
    expect(() => set.rowDots(2, out)).toThrow(/query row must be an integer in \[0, 2\), got 2/);
    expect(() => set.rowDots(new Float32Array(2), out)).toThrow(ShapeError);
    expect(() => set.rowDots(0, new Float64Array(1))).toThrow(/at least 2 elements/);
    expect(() => set.rowDots(0, out, Int32Array.of(0, 2))).toThrow(
      /targets\[1\] = 2 is not a row index in \[0, 2\)/,
    );
    expect(() => set.rowDots(0, out, undefined, 1, 3)).toThrow(/0 <= from <= to <= 2/);
  });
});

describe('DenseRows on wasm-simd: memory', () => {
  beforeAll(() => setBackend('wasm-simd'));
  afterAll(() => setBackend('auto'));

  it('reuses its scratch space from call to call', async () => {
    const { localKernels } = await import('../src/wasm/kernels.js');
    const rng = new Rng(3);
    const set = new DenseRows(randomArray(rng, 500 * 20), 500, 20);
    const out = new Float32Array(500);
    const targets = Int32Array.from({ length: 500 }, (_, i) => 499 - i);
    set.rowDots(0, out, targets);
    const length = localKernels().memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) set.rowSquaredDistances(i, out, targets, i, 500);
    expect(localKernels().memory.buffer.byteLength).toBe(length);
  });
});
