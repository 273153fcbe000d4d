import { describe, expect, it } from 'vitest';
import { Rng, Tensor, setBackend } from '@typedlearn/tensor';
import { denseRow, toFeatureRows } from '../src/svm/feature-rows.js';
import { integerPower, kernelFromDot, scaleGamma, type Kernel } from '../src/svm/kernel.js';
import {
  BLOCK_ROWS,
  FLOAT32_KERNEL_ERROR,
  KernelRowsScratch,
  float32KernelSums,
  kernelRows,
} from '../src/svm/kernel-rows.js';

/** A 13 x 9 matrix with about a third of its entries zero, deterministic. */
function sparseMatrix(rows = 13, cols = 9): Tensor {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    const v = Math.sin(1.7 * i + 0.3) * 2;
    data[i] = i % 3 === 1 ? 0 : Math.fround(v);
  }
  return new Tensor(data, [rows, cols]);
}

function direct(kernel: Kernel, x: ArrayLike<number>, z: ArrayLike<number>): number {
  let dot = 0;
  let distance = 0;
  for (let k = 0; k < x.length; k++) {
    dot += x[k] * z[k];
    distance += (x[k] - z[k]) ** 2;
  }
  if (kernel.name === 'rbf') return Math.exp(-kernel.gamma * distance);
  if (kernel.name === 'poly') return (kernel.gamma * dot + kernel.coef0) ** kernel.degree;
  return dot;
}

const KERNELS: Kernel[] = [
  { name: 'rbf', gamma: 0.3, degree: 3, coef0: 0 },
  { name: 'poly', gamma: 0.5, degree: 3, coef0: 1.5 },
  { name: 'linear', gamma: 1, degree: 3, coef0: 0 },
];

describe('kernels', () => {
  it('integerPower is repeated multiplication', () => {
    expect(integerPower(3, 0)).toBe(1);
    expect(integerPower(-2, 5)).toBe(-32);
    expect(integerPower(1.5, 4)).toBeCloseTo(5.0625, 12);
  });

  it('kernelFromDot matches the definitions', () => {
    const x = [1, -2, 0.5];
    const z = [0.25, 1, -1];
    const dot = 1 * 0.25 - 2 - 0.5;
    const nx = 1 + 4 + 0.25;
    const nz = 0.0625 + 1 + 1;
    for (const kernel of KERNELS) {
      expect(kernelFromDot(kernel, dot, nx, nz)).toBeCloseTo(direct(kernel, x, z), 12);
    }
  });

  it("gamma 'scale' is 1 / (nFeatures * Var(X)), and 1 for constant X", () => {
    const X = new Tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [3, 2]);
    // Var of 0..5 = 35/12.
    expect(scaleGamma(X)).toBeCloseTo(1 / (2 * (35 / 12)), 12);
    expect(scaleGamma(new Tensor(new Float32Array(6).fill(7), [2, 3]))).toBe(1);
  });

  it('lays rows out sparse or dense with the same content and norms', () => {
    const X = sparseMatrix();
    const sparse = toFeatureRows(X, { layout: 'sparse' });
    const dense = toFeatureRows(X, { layout: 'dense' });
    expect(sparse.sparse).toBe(true);
    expect(dense.sparse).toBe(false);
    expect(sparse.values.length).toBe(Array.from(X.data).filter((v) => v !== 0).length);
    const a = new Float32Array(9);
    const b = new Float32Array(9);
    for (let r = 0; r < 13; r++) {
      denseRow(sparse, r, a);
      denseRow(dense, r, b);
      expect(Array.from(a)).toEqual(Array.from(X.data.subarray(r * 9, r * 9 + 9)));
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(sparse.squaredNorms[r]).toBe(dense.squaredNorms[r]);
    }
    // On 'js', density decides when no layout is forced: a third zeros is too dense for sparse
    // rows. On 'wasm-simd', whose sparse kernel beats dense rows at any density, rows are sparse.
    const mostlyZero = new Tensor(new Float32Array(40).fill(0, 0, 36).fill(1, 36), [4, 10]);
    try {
      setBackend('js');
      expect(toFeatureRows(X).sparse).toBe(false);
      expect(toFeatureRows(mostlyZero).sparse).toBe(true);
      setBackend('wasm-simd');
      expect(toFeatureRows(X).sparse).toBe(true);
      expect(toFeatureRows(mostlyZero).sparse).toBe(true);
    } finally {
      setBackend('auto');
    }
  });

  it('takes a subset of rows in the given order', () => {
    const X = sparseMatrix();
    const rows = toFeatureRows(X, { rows: Int32Array.from([5, 2]) });
    const out = new Float32Array(9);
    denseRow(rows, 0, out);
    expect(Array.from(out)).toEqual(Array.from(X.data.subarray(45, 54)));
    expect(rows.count).toBe(2);
  });

  const targets = Int32Array.from([12, 0, 7, 3, 3, 9, 1, 11]);
  const rowOf = (X: Tensor, r: number) => X.data.subarray(r * 9, r * 9 + 9);

  for (const kernel of KERNELS) {
    it(`${kernel.name}: kernel rows match the definition for every block size and layout`, () => {
      const X = sparseMatrix();
      for (const layout of ['sparse', 'dense'] as const) {
        const rows = toFeatureRows(X, { layout });
        const scratch = new KernelRowsScratch(9, targets.length);
        for (let count = 1; count <= BLOCK_ROWS; count++) {
          const queries = Int32Array.from({ length: count }, (_, r) => (4 + 3 * r) % 13);
          kernelRows(kernel, rows, queries, count, rows, targets, 0, targets.length, scratch);
          for (let r = 0; r < count; r++) {
            for (let t = 0; t < targets.length; t++) {
              const expected = direct(kernel, rowOf(X, queries[r]), rowOf(X, targets[t]));
              expect(scratch.values[r * scratch.stride + t]).toBeCloseTo(expected, 9);
            }
          }
        }
      }
    });

    it.each(['js', 'wasm-simd'] as const)(
      `${kernel.name} on %s: a kernel value is bit-identical alone or in a block; sparse and dense agree`,
      (backend) => {
        // The solver's results must not depend on which rows happened to be computed together
        // (that depends on the cache size, so on the thread count). The layout is chosen once
        // per matrix; the layouts' sums are the same, and on 'wasm-simd' the RBF kernel's exp
        // of sparse rows is vectorised (a few ulp from Math.exp).
        setBackend(backend);
        try {
          const X = sparseMatrix();
          const scratch = new KernelRowsScratch(9, targets.length);
          const sameBits = backend === 'js' || kernel.name !== 'rbf';
          for (let q = 0; q < 13; q++) {
            const alone = { sparse: [] as number[], dense: [] as number[] };
            for (const layout of ['sparse', 'dense'] as const) {
              const rows = toFeatureRows(X, { layout });
              kernelRows(kernel, rows, Int32Array.of(q), 1, rows, targets, 0, targets.length, scratch); // prettier-ignore
              alone[layout] = Array.from(scratch.values.subarray(0, targets.length));
              for (const size of [2, 3, 4, 5, 8]) {
                const block = Int32Array.from({ length: size }, (_, r) => (q + 12 + 5 * r) % 13);
                block[1] = q;
                kernelRows(kernel, rows, block, size, rows, targets, 0, targets.length, scratch);
                const inBlock = scratch.values.subarray(
                  scratch.stride,
                  scratch.stride + targets.length,
                );
                expect(Array.from(inBlock)).toEqual(alone[layout]);
              }
            }
            if (sameBits) expect(alone.sparse).toEqual(alone.dense);
            for (let t = 0; t < targets.length; t++) {
              const dense = alone.dense[t];
              expect(Math.abs(alone.sparse[t] - dense)).toBeLessThanOrEqual(1e-15 * Math.abs(dense)); // prettier-ignore
            }
          }
        } finally {
          setBackend('auto');
        }
      },
    );
  }

  describe('float32 sums', () => {
    const rbf: Kernel = { name: 'rbf', gamma: 0.3, degree: 3, coef0: 0 };

    it('are chosen on wasm-simd for the RBF kernel when the error bound allows, else not', () => {
      const X = sparseMatrix();
      setBackend('wasm-simd');
      try {
        const rows = toFeatureRows(X);
        // 9 features within [-2, 2]: 2 gamma gamma_n max|x|^2 is about 1e-5.
        expect(rows.longestRow).toBe(6);
        expect(float32KernelSums(rbf, rows)).toBe(true);
        expect(float32KernelSums({ ...rbf, gamma: 1e3 }, rows)).toBe(false);
        expect(float32KernelSums(KERNELS[1], rows)).toBe(false);
        expect(float32KernelSums(rbf, toFeatureRows(X, { layout: 'dense' }))).toBe(false);
        // Far from the origin, |q|^2 + |x|^2 - 2 q.x cancels: 20 features of 100 + N(0, 1).
        const rng = new Rng(5);
        const far = toFeatureRows(
          new Tensor(
            Float32Array.from({ length: 200 }, () => 100 + rng.normal()),
            [10, 20],
          ),
        );
        const gamma = 1 / 20;
        const bound = 2 * gamma * ((20 * 2 ** -24) / (1 - 20 * 2 ** -24)) * far.maxSquaredNorm;
        expect(bound).toBeGreaterThan(FLOAT32_KERNEL_ERROR);
        expect(float32KernelSums({ ...rbf, gamma }, far)).toBe(false);
        setBackend('js');
        expect(float32KernelSums(rbf, toFeatureRows(X, { layout: 'sparse' }))).toBe(false);
      } finally {
        setBackend('auto');
      }
    });

    it.each(['js', 'wasm-simd'] as const)(
      'on %s: give a value the same alone or in a block, within the bound of the float64 value',
      (backend) => {
        setBackend(backend);
        try {
          const X = sparseMatrix();
          const exact = toFeatureRows(X, { layout: 'sparse' });
          const rows = { ...exact, sums: 'float32' as const };
          const scratch = new KernelRowsScratch(9, targets.length);
          const reference = new KernelRowsScratch(9, targets.length);
          const u = 2 ** -24;
          const gammaN = (6 * u) / (1 - 6 * u);
          const bound = 2 * rbf.gamma * gammaN * rows.maxSquaredNorm;
          let differs = 0;
          for (let q = 0; q < 13; q++) {
            kernelRows(rbf, rows, Int32Array.of(q), 1, rows, targets, 0, targets.length, scratch);
            const alone = Array.from(scratch.values.subarray(0, targets.length));
            kernelRows(rbf, exact, Int32Array.of(q), 1, exact, targets, 0, targets.length, reference); // prettier-ignore
            for (let t = 0; t < targets.length; t++) {
              const value = reference.values[t];
              // exp(2 gamma e) - 1 <= 1.0001 * 2 gamma e for these small errors.
              expect(Math.abs(alone[t] - value)).toBeLessThanOrEqual(1.0001 * bound * value + 1e-15); // prettier-ignore
              if (alone[t] !== value) differs++;
            }
            for (const size of [2, 3, 4, 5, 8]) {
              const block = Int32Array.from({ length: size }, (_, r) => (q + 12 + 5 * r) % 13);
              block[1] = q;
              kernelRows(rbf, rows, block, size, rows, targets, 0, targets.length, scratch);
              const inBlock = scratch.values.subarray(scratch.stride, scratch.stride + targets.length); // prettier-ignore
              expect(Array.from(inBlock)).toEqual(alone);
            }
          }
          expect(differs).toBeGreaterThan(0); // the float32 sums were taken
        } finally {
          setBackend('auto');
        }
      },
    );
  });

  it('computes only the requested range [from, to)', () => {
    const X = sparseMatrix();
    const rows = toFeatureRows(X);
    const targets = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const scratch = new KernelRowsScratch(9, 6);
    scratch.values.fill(-7);
    kernelRows(KERNELS[0], rows, Int32Array.of(2), 1, rows, targets, 2, 5, scratch);
    expect(scratch.values[0]).toBe(-7);
    expect(scratch.values[1]).toBe(-7);
    expect(scratch.values[5]).toBe(-7);
    expect(scratch.values[2]).toBe(1); // K(x2, x2) for the RBF kernel
  });
});
