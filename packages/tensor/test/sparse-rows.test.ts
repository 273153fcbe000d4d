// The sparse-times-dense kernels on both backends, against the dense textbook product: odd
// shapes, empty rows, an all-zero matrix, row lists and ranges, strides, transposes, beta, and
// columns split between calls giving the very numbers of one call.
import { afterAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  Rng,
  SparseRows,
  ShapeError,
  ValueError,
  countNonzeros,
  setBackend,
  sparseDenseProduct,
  sparseTransposeDenseProduct,
} from '@typedlearn/tensor';
import { localKernels } from '../src/wasm/kernels.js';
import { randomArray, referenceGemm } from './helpers/reference.js';

afterAll(() => setBackend('auto'));

/** A rows x cols matrix with about `density` of its values nonzero, and its row 1 empty. */
function sparseMatrix(rng: Rng, rows: number, cols: number, density: number): Float32Array {
  const dense = randomArray(rng, rows * cols);
  for (let i = 0; i < dense.length; i++) if (rng.uniform() >= density) dense[i] = 0;
  if (rows > 1) dense.fill(0, cols, 2 * cols);
  return dense;
}

/** The selected rows of the dense matrix, gathered. */
function gather(dense: Float32Array, cols: number, rowIds: number[]): Float32Array {
  const out = new Float32Array(rowIds.length * cols);
  rowIds.forEach((i, r) => out.set(dense.subarray(i * cols, (i + 1) * cols), r * cols));
  return out;
}

function expectClose(
  actual: ArrayLike<number>,
  reference: { value: Float64Array; magnitude: Float64Array },
  at: (t: number) => number,
): void {
  for (let t = 0; t < reference.value.length; t++) {
    const error = Math.abs(actual[at(t)] - reference.value[t]);
    expect(error).toBeLessThanOrEqual(1e-5 * reference.magnitude[t] + 1e-30);
  }
}

const SHAPES = [
  // rows, cols (features), n (dense columns), density
  [7, 13, 5, 0.3],
  [33, 61, 37, 0.2],
  [20, 9, 1, 0.5],
  [5, 40, 130, 0.15],
  [12, 784, 10, 0.2],
] as const;

describe.each(BACKENDS)('sparse products on %s', (backend) => {
  it('X_sel op(B) matches the dense product for row lists, ranges, strides, transposes and beta', () => {
    setBackend(backend);
    const rng = new Rng(7);
    for (const [rows, cols, n, density] of SHAPES) {
      const dense = sparseMatrix(rng, rows, cols, density);
      const x = SparseRows.fromDense(dense, rows, cols);
      expect(x.nonzeros).toBe(countNonzeros(dense));
      const rowList = Int32Array.from({ length: rows + 3 }, () => Math.floor(rng.uniform() * rows));
      rowList[2] = 1; // the empty row
      for (const transB of [false, true]) {
        for (const beta of [0, 1, 0.5]) {
          for (const [list, first, count] of [
            [rowList, 2, rows],
            [null, 1, rows - 1],
          ] as const) {
            const ldb = (transB ? cols : n) + 3;
            const ldc = n + 2;
            const b = randomArray(rng, (transB ? n : cols) * ldb);
            const c = randomArray(rng, count * ldc);
            const ids = Array.from({ length: count }, (_, r) =>
              list === null ? first + r : list[first + r],
            );
            const a = gather(dense, cols, ids);
            const reference = referenceGemm(
              false,
              transB,
              count,
              n,
              cols,
              1,
              a,
              cols,
              b,
              ldb,
              beta,
              c,
              ldc,
            );
            sparseDenseProduct(x, list, first, count, transB, n, b, ldb, beta, c, ldc);
            expectClose(c, reference, (t) => Math.floor(t / n) * ldc + (t % n));
          }
        }
      }
    }
  });

  it('X_sel^T G matches the dense product', () => {
    setBackend(backend);
    const rng = new Rng(8);
    for (const [rows, cols, n, density] of SHAPES) {
      const dense = sparseMatrix(rng, rows, cols, density);
      const x = SparseRows.fromDense(dense, rows, cols);
      const rowList = Int32Array.from({ length: rows }, (_, r) => (r * 5 + 3) % rows);
      for (const beta of [0, 1, -2]) {
        for (const [list, first, count] of [
          [rowList, 1, rows - 1],
          [null, 0, rows],
          [null, 2, 0],
        ] as const) {
          const ldg = n + 1;
          const ldc = n + 4;
          const g = randomArray(rng, count * ldg);
          const c = randomArray(rng, cols * ldc);
          const ids = Array.from({ length: count }, (_, r) =>
            list === null ? first + r : list[first + r],
          );
          const a = gather(dense, cols, ids);
          const reference = referenceGemm(
            true,
            false,
            cols,
            n,
            count,
            1,
            a,
            cols,
            g,
            ldg,
            beta,
            c,
            ldc,
          );
          sparseTransposeDenseProduct(x, list, first, count, n, g, ldg, beta, c, ldc);
          expectClose(c, reference, (t) => Math.floor(t / n) * ldc + (t % n));
        }
      }
    }
  });

  it('an all-zero matrix gives beta C', () => {
    setBackend(backend);
    const x = SparseRows.fromDense(new Float32Array(6 * 5), 6, 5);
    expect(x.nonzeros).toBe(0);
    const b = Float32Array.from({ length: 5 * 3 }, (_, i) => i + 1);
    const c = new Float32Array(6 * 3).fill(4);
    sparseDenseProduct(x, null, 0, 6, false, 3, b, 3, 0.5, c, 3);
    expect([...c]).toEqual(new Array(18).fill(2));
    const dW = new Float32Array(5 * 3).fill(Number.NaN);
    sparseTransposeDenseProduct(x, null, 0, 6, 3, c, 3, 0, dW, 3);
    expect([...dW]).toEqual(new Array(15).fill(0));
  });

  it('columns split between calls give exactly the numbers of one call', () => {
    setBackend(backend);
    const rng = new Rng(9);
    const rows = 25;
    const cols = 50;
    const n = 45;
    const x = SparseRows.fromDense(sparseMatrix(rng, rows, cols, 0.3), rows, cols);
    const rowList = Int32Array.from({ length: 16 }, (_, r) => (r * 7) % rows);
    const b = randomArray(rng, cols * n);
    const whole = new Float32Array(16 * n);
    sparseDenseProduct(x, rowList, 0, 16, false, n, b, n, 0, whole, n);
    const g = randomArray(rng, 16 * n);
    const wholeT = new Float32Array(cols * n);
    sparseTransposeDenseProduct(x, rowList, 0, 16, n, g, n, 0, wholeT, n);
    for (const cuts of [
      [0, 6, 45],
      [0, 17, 30, 45],
      [0, 1, 2, 45],
    ]) {
      const split = new Float32Array(16 * n);
      const splitT = new Float32Array(cols * n);
      for (let s = 0; s + 1 < cuts.length; s++) {
        const [c0, c1] = [cuts[s], cuts[s + 1]];
        sparseDenseProduct(x, rowList, 0, 16, false, c1 - c0, b.subarray(c0), n, 0, split.subarray(c0), n); // prettier-ignore
        sparseTransposeDenseProduct(x, rowList, 0, 16, c1 - c0, g.subarray(c0), n, 0, splitT.subarray(c0), n); // prettier-ignore
      }
      expect(split).toEqual(whole);
      expect(splitT).toEqual(wholeT);
    }
  });

  it("rows of X^T G's result split between calls give exactly the numbers of one call", () => {
    setBackend(backend);
    const rng = new Rng(10);
    const [rows, cols, n] = [25, 50, 12];
    const x = SparseRows.fromDense(sparseMatrix(rng, rows, cols, 0.3), rows, cols);
    const rowList = Int32Array.from({ length: 16 }, (_, r) => (r * 7) % rows);
    const g = randomArray(rng, 16 * n);
    const whole = new Float32Array(cols * n);
    sparseTransposeDenseProduct(x, rowList, 0, 16, n, g, n, 0, whole, n);
    const split = new Float32Array(cols * n).fill(7);
    sparseTransposeDenseProduct(x, rowList, 0, 16, n, g, n, 0, split, n, 20, 33);
    // Only rows [20, 33) are written.
    expect(split.subarray(0, 20 * n).every((v) => v === 7)).toBe(true);
    expect(split.subarray(33 * n).every((v) => v === 7)).toBe(true);
    for (const [from, to] of [
      [0, 20],
      [33, 50],
      [50, 50],
    ]) {
      // prettier-ignore
      sparseTransposeDenseProduct(x, rowList, 0, 16, n, g, n, 0, split, n, from, to);
    }
    expect(split).toEqual(whole);
    expect(() =>
      sparseTransposeDenseProduct(x, rowList, 0, 16, n, g, n, 0, split, n, 30, 20),
    ).toThrow(ValueError);
    expect(() =>
      sparseTransposeDenseProduct(x, rowList, 0, 16, n, g, n, 0, split, n, 0, 51),
    ).toThrow(ValueError);
  });

  it('takes float64 operands (summing in float64)', () => {
    setBackend(backend);
    const x = SparseRows.fromDense(Float32Array.of(0, 2, 0, 1, 0, 3), 2, 3);
    const b = Float64Array.of(1e-9, 1, 2, 3, 4, 5);
    const c = new Float64Array(4);
    sparseDenseProduct(x, null, 0, 2, false, 2, b, 2, 0, c, 2);
    expect([...c]).toEqual([4, 6, 1e-9 + 12, 16]);
  });

  it('sums float64 rows of 10 and 26 columns (five vectors left after the blocks of eight)', () => {
    setBackend(backend);
    const rng = new Rng(12);
    const [rows, cols] = [9, 30];
    const dense = sparseMatrix(rng, rows, cols, 0.3);
    const x = SparseRows.fromDense(dense, rows, cols);
    for (const n of [10, 26]) {
      const b = Float64Array.from(randomArray(rng, cols * n));
      const c = new Float64Array(rows * n);
      sparseDenseProduct(x, null, 0, rows, false, n, b, n, 0, c, n);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < n; j++) {
          let total = 0;
          for (let k = 0; k < cols; k++) total += dense[i * cols + k] * b[k * n + j];
          expect(c[i * n + j]).toBeCloseTo(total, 12);
        }
      }
    }
  });

  it('refuses rows out of range and short arrays', () => {
    setBackend(backend);
    const x = SparseRows.fromDense(Float32Array.of(1, 0, 0, 1), 2, 2);
    const b = new Float32Array(4);
    expect(() => sparseDenseProduct(x, Int32Array.of(0, 2), 0, 2, false, 2, b, 2, 0, new Float32Array(4), 2)).toThrow(ValueError); // prettier-ignore
    expect(() => sparseDenseProduct(x, null, 1, 2, false, 2, b, 2, 0, new Float32Array(4), 2)).toThrow(ValueError); // prettier-ignore
    expect(() => sparseDenseProduct(x, null, 0, 2, false, 2, b, 2, 0, new Float32Array(3), 2)).toThrow(ShapeError); // prettier-ignore
    expect(() => sparseTransposeDenseProduct(x, null, 0, 2, 2, b, 2, 0, new Float32Array(3), 2)).toThrow(ShapeError); // prettier-ignore
  });
});

describe('the wasm-simd copies of X', () => {
  it('are given back after a few other matrices, so memory does not pile up', () => {
    setBackend('wasm-simd');
    const rng = new Rng(10);
    const rows = 300;
    const cols = 200;
    const b = randomArray(rng, cols * 8);
    const c = new Float32Array(rows * 8);
    const use = (): number => {
      const x = SparseRows.fromDense(sparseMatrix(rng, rows, cols, 0.5), rows, cols);
      sparseDenseProduct(x, null, 0, rows, false, 8, b, 8, 0, c, 8);
      return localKernels().memory.buffer.byteLength;
    };
    // A few uses may still grow it (first-fit leaves holes that other tests' ranges shape);
    // then it settles: 20 more uses, 20 more copies, not a byte more.
    for (let i = 0; i < 20; i++) use();
    const settled = use();
    for (let i = 0; i < 20; i++) expect(use()).toBe(settled);
  });
});
