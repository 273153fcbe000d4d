import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  DTypeError,
  KernelsArena,
  allocate,
  Rng,
  ShapeError,
  Tensor,
  ValueError,
  WorkerPool,
  allocateShared,
  gemm,
  gemmParallel,
  matmul,
  setBackend,
  withPool,
} from '@typedlearn/tensor';
import { element, randomArray, referenceGemm } from './helpers/reference.js';

/** Every gemm test runs on each backend, against the same float64 reference. */
const BACKENDS: Backend[] = ['js', 'wasm-simd'];

/**
 * The bound on |error| / (alpha |op(A)| |op(B)| + |beta C|) for one element of C. The JS
 * backend sums in float64 and rounds a few times per KC block: a few ulps, far below 1e-5. The
 * wasm backend sums in float32: each of the k products and k additions may round, so the
 * classic bound is about (k + a few) * 2^-24 (Higham, "Accuracy and Stability of Numerical
 * Algorithms", section 3.1), which passes 1e-5 from k of about 160 on.
 */
function relativeTolerance(backend: Backend, k: number): number {
  return backend === 'js' ? 1e-5 : Math.max(1e-5, (k + 8) * 2 ** -24);
}

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  /** Extra elements per stored row (ld > row length) and before the first element. */
  pad: number;
}

/** Runs gemm on padded, offset storage and checks every element of C, padding included. */
function checkAgainstReference(rng: Rng, backend: Backend, t: Case): void {
  const { m, n, k, transA, transB, alpha, beta, pad } = t;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + pad;
  const ldb = bCols + pad;
  const ldc = n + pad;
  const a = randomArray(rng, pad + aRows * lda);
  const b = randomArray(rng, pad + bRows * ldb);
  const c = randomArray(rng, pad + m * ldc);
  const before = c.slice();
  const { value, magnitude } = referenceGemm(
    transA, transB, m, n, k, alpha,
    a.subarray(pad), lda, b.subarray(pad), ldb, beta, before.subarray(pad), ldc,
  ); // prettier-ignore

  gemm(transA, transB, m, n, k, alpha, a.subarray(pad), lda, b.subarray(pad), ldb, beta, c.subarray(pad), ldc); // prettier-ignore

  for (let at = 0; at < c.length; at++) {
    const local = at - pad;
    const i = Math.floor(local / ldc);
    const j = local - i * ldc;
    if (local < 0 || j >= n) {
      expect(c[at], `padding element ${at} must not change`).toBe(before[at]);
      continue;
    }
    const error = Math.abs(c[at] - value[i * n + j]);
    const bound = relativeTolerance(backend, k) * (magnitude[i * n + j] + 1e-30);
    if (!(error <= bound)) {
      expect.fail(
        `${backend}: C[${i}, ${j}] = ${c[at]}, expected ${value[i * n + j]} (${JSON.stringify(t)})`,
      );
    }
  }
}

describe.each(BACKENDS)('gemm on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));
  const check = (rng: Rng, t: Case): void => checkAgainstReference(rng, backend, t);

  const rng = new Rng(7);
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 17, 1],
    [17, 3, 5],
    // Odd sizes: partial micro-kernel tiles in every direction.
    [7, 33, 100],
    [33, 7, 257],
    [100, 257, 3],
    [257, 100, 33],
    [1, 1023, 3],
    [1023, 1, 17],
    // Deeper than one KC block (256 in JS, 512 in wasm).
    [3, 17, 1023],
    // Crosses the MC, KC and NR block edges.
    [130, 19, 300],
    // Wider than one NC panel of B.
    [5, 2100, 3],
  ];
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}x${n}x${k} transA=${transA} transB=${transB}`, () => {
          check(rng, { m, n, k, transA, transB, alpha: 1, beta: 0, pad: 0 });
          check(rng, { m, n, k, transA, transB, alpha: -0.75, beta: 0.5, pad: 3 });
        });
      }
    }
  }

  if (backend === 'wasm-simd') {
    it('gives small products of arrays in WebAssembly memory the bits of the packed path', () => {
      // A and C in a KernelsArena take the kernel without packing; copies elsewhere the packed one.
      const small: [number, number, number][] = [
        [200, 10, 128],
        [128, 10, 200],
        [200, 128, 10],
        [7, 33, 100],
        [1, 17, 3],
        [33, 1, 512],
      ];
      const arena = new KernelsArena(allocate);
      try {
        for (const [m, n, k] of small) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              for (const [alpha, beta, pad] of [
                [1, 0, 0],
                [-0.75, 0.5, 3],
              ]) {
                const lda = (transA ? m : k) + pad;
                const ldb = (transB ? k : n) + pad;
                const ldc = n + pad;
                const a = randomArray(rng, pad + (transA ? k : m) * lda);
                const b = randomArray(rng, pad + (transB ? n : k) * ldb);
                const c = randomArray(rng, pad + m * ldc);
                const aIn = arena.allocate('float32', a.length);
                const cIn = arena.allocate('float32', c.length);
                aIn.set(a);
                cIn.set(c);
                gemm(transA, transB, m, n, k, alpha, a.subarray(pad), lda, b.subarray(pad), ldb, beta, c.subarray(pad), ldc); // prettier-ignore
                gemm(transA, transB, m, n, k, alpha, aIn.subarray(pad), lda, b.subarray(pad), ldb, beta, cIn.subarray(pad), ldc); // prettier-ignore
                expect(Array.from(cIn), `${m}x${n}x${k} ${transA} ${transB} ${alpha}`).toEqual(
                  Array.from(c),
                );
              }
            }
          }
        }
      } finally {
        arena.release();
      }
    });
  }

  it('accumulates into C with beta = 1 and scales C alone when alpha = 0 or k = 0', () => {
    check(rng, { m: 9, n: 11, k: 13, transA: false, transB: true, alpha: 2, beta: 1, pad: 1 });
    check(rng, { m: 9, n: 11, k: 13, transA: true, transB: false, alpha: 0, beta: -3, pad: 2 });
    check(rng, { m: 4, n: 5, k: 0, transA: false, transB: false, alpha: 1, beta: 0.5, pad: 1 });
    check(rng, { m: 33, n: 17, k: 7, transA: true, transB: true, alpha: 3, beta: 1, pad: 5 });
  });

  it('does not read C when beta = 0 (NaN does not propagate)', () => {
    const c = new Float32Array(4).fill(NaN);
    gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), 1, Float32Array.of(3, 4), 2, 0, c, 2);
    expect([...c]).toEqual([3, 4, 6, 8]);
  });

  it('gives exact results when every sum is exact (small integers)', () => {
    // Products and sums of small integers are exact in float32, so both backends must agree
    // with the reference exactly, whatever the order of the sums.
    const m = 19;
    const n = 23;
    const k = 801;
    const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 5) - 2);
    const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 3) % 7) - 3);
    const c = new Float32Array(m * n);
    gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
    const { value } = referenceGemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
    expect(c).toEqual(Float32Array.from(value));
  });

  it('refuses bad sizes, strides, short arrays and other dtypes with clear errors', () => {
    const x = new Float32Array(6);
    expect(() => gemm(false, false, -1, 2, 3, 1, x, 3, x, 2, 0, x, 2)).toThrow(ValueError);
    expect(() => gemm(false, false, 2, 2, 1.5, 1, x, 3, x, 2, 0, x, 2)).toThrow(/k must be a non-negative integer/); // prettier-ignore
    expect(() => gemm(false, false, 2, 2, 3, 1, x, 2, x, 2, 0, x, 2)).toThrow(/row stride of A .* >= 3, got 2/); // prettier-ignore
    expect(() => gemm(false, false, 2, 3, 3, 1, x, 3, x, 3, 0, x, 3)).toThrow(/B \(stored 3 x 3, row stride 3\) needs 9 elements, got 6/); // prettier-ignore
    expect(() => gemm(true, false, 2, 2, 3, 1, x, 1, x, 2, 0, x, 2)).toThrow(ShapeError);
    const wrong = new Float64Array(6) as unknown as Float32Array;
    expect(() => gemm(false, false, 2, 2, 3, 1, wrong, 3, x, 2, 0, x, 2)).toThrow(DTypeError);
  });
});

describe('matmul', () => {
  const rng = new Rng(11);
  const matrix = (rows: number, cols: number): Tensor =>
    new Tensor(randomArray(rng, rows * cols), [rows, cols]);

  function expectProduct(result: Tensor, left: Tensor, right: Tensor): void {
    const [m, k] = left.matrixShape();
    const [, n] = right.matrixShape();
    expect(result.shape).toEqual([m, n]);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += left.get(i, p) * right.get(p, j);
        expect(result.get(i, j)).toBeCloseTo(sum, 5);
      }
    }
  }

  it('multiplies contiguous matrices and honours transA / transB', () => {
    const a = matrix(5, 7);
    const b = matrix(7, 3);
    expectProduct(matmul(a, b), a, b);
    const at = matrix(7, 5);
    const bt = matrix(3, 7);
    expectProduct(matmul(at, bt, { transA: true, transB: true }), at.transpose(), bt.transpose());
  });

  it('uses transposed and sliced views without copying them first', () => {
    const parent = matrix(10, 8);
    const rows = parent.slice(2, 6); // 4 x 8, offset 16
    const columns = new Tensor(parent.data, [8, 3], [1, 8], 2); // a transposed 3 x 8 view
    expectProduct(matmul(rows, columns), rows, columns);
    const strided = new Tensor(parent.data, [4, 4], [16, 2], 1); // not contiguous either way
    const b = matrix(4, 2);
    expectProduct(matmul(strided, b), strided, b);
  });

  it('writes into a row slice of `out` with alpha and beta', () => {
    const a = matrix(3, 4);
    const b = matrix(4, 2);
    const out = Tensor.zeros([5, 2]);
    out.data.fill(1);
    const target = out.slice(1, 4);
    matmul(a, b, { alpha: 2, beta: 3, out: target });
    const product = matmul(a, b);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++)
        expect(target.get(i, j)).toBeCloseTo(2 * product.get(i, j) + 3, 5);
    }
    expect(out.get(0, 0)).toBe(1);
    expect(out.get(4, 1)).toBe(1);
  });

  it('refuses mismatched shapes and non-float32 tensors', () => {
    expect(() => matmul(matrix(2, 3), matrix(2, 3))).toThrow(
      /op\(a\) is 2 x 3 but op\(b\) is 2 x 3; expected op\(b\) to have 3 rows/,
    );
    expect(() => matmul(Tensor.zeros([2, 2], 'int32') as never, matrix(2, 2))).toThrow(DTypeError);
    expect(() => matmul(Tensor.zeros([2, 2, 2]), matrix(2, 2))).toThrow(/2-D tensor/);
    expect(() => matmul(matrix(2, 3), matrix(3, 4), { out: Tensor.zeros([2, 3]) })).toThrow(
      /out has shape \[2, 3\], expected \[2, 4\]/,
    );
  });
});

describe.each(BACKENDS)('gemmParallel on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));
  const pools = [1, 2].map((threads) => WorkerPool.create(threads));
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  const cases = [
    { m: 37, n: 29, k: 41, transA: false, transB: false },
    { m: 37, n: 29, k: 41, transA: true, transB: true },
    // Several KC blocks, and wider than one NC panel: the packed B of every block is shared.
    { m: 45, n: 2051, k: 777, transA: true, transB: false },
    { m: 66, n: 9, k: 1000, transA: false, transB: true },
  ];
  for (const { m, n, k, transA, transB } of cases) {
    it(`gives bit-identical results on 1 and 2 threads: ${m}x${n}x${k} transA=${transA} transB=${transB}`, async () => {
      const rng = new Rng(5);
      const a = allocateShared('float32', 2 + m * k);
      const b = allocateShared('float32', 2 + k * n);
      a.set(randomArray(rng, a.length));
      b.set(randomArray(rng, b.length));
      const ldc = n + 2;
      const initial = randomArray(rng, m * ldc);
      const expected = initial.slice();
      const lda = transA ? m : k;
      const ldb = transB ? k : n;
      gemm(transA, transB, m, n, k, 1.5, a.subarray(2), lda, b.subarray(2), ldb, 0.5, expected, ldc); // prettier-ignore
      for (const pool of pools) {
        const c = allocateShared('float32', m * ldc);
        c.set(initial);
        await gemmParallel(pool, transA, transB, m, n, k, 1.5, a.subarray(2), lda, b.subarray(2), ldb, 0.5, c, ldc); // prettier-ignore
        expect(c).toEqual(expected);
      }
      // Spot-check against the definition too.
      let sum = 0;
      for (let p = 0; p < k; p++) {
        sum +=
          element(a.subarray(2), lda, transA, 3, p) * element(b.subarray(2), ldb, transB, p, 4);
      }
      expect(expected[3 * ldc + 4]).toBeCloseTo(1.5 * sum + 0.5 * initial[3 * ldc + 4], 3);
    });
  }

  it('scales C alone when alpha = 0, on every thread', async () => {
    const c = allocateShared('float32', 40 * 3);
    c.fill(2);
    const x = new Float32Array(40 * 5);
    await gemmParallel(pools[1], false, false, 40, 3, 5, 0, x, 5, x, 3, -1.5, c, 3);
    expect([...c]).toEqual(new Array(120).fill(-3));
  });

  it('refuses C outside shared memory when it would need worker threads', async () => {
    await withPool(2, async (pool) => {
      const x = new Float32Array(64);
      await expect(
        gemmParallel(pool, false, false, 8, 8, 8, 1, x, 8, x, 8, 0, x, 8),
      ).rejects.toThrow(/C must be backed by a SharedArrayBuffer/);
    });
  });
});
