// symmetricEigen lives in @typedlearn/tensor; it is tested here, next to PCA, its main user.
import { describe, expect, it } from 'vitest';
import { BACKENDS, setBackend, ShapeError, symmetricEigen, ValueError } from '@typedlearn/tensor';

/** A symmetric matrix with entries from a small linear congruential generator. */
function randomSymmetric(n: number, seed: number): Float64Array {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = next();
  }
  return a;
}

/** max |A v_k - lambda_k v_k| and max |V V^T - I| over all k. */
function residuals(a: Float64Array, n: number) {
  const { values, vectors } = symmetricEigen(a, n);
  let eigen = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
      eigen = Math.max(eigen, Math.abs(av - values[k] * vectors[k * n + i]));
    }
    for (let l = 0; l < n; l++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  return { values, eigen, orthogonality };
}

describe('symmetricEigen', () => {
  it('solves a 2 x 2 case by hand: [[2, 1], [1, 2]] has 3 along (1, 1) and 1 along (1, -1)', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    const s = Math.SQRT1_2;
    expect(Math.abs(vectors[0])).toBeCloseTo(s, 14);
    expect(vectors[0] * vectors[1]).toBeCloseTo(0.5, 14); // same sign
    expect(vectors[2] * vectors[3]).toBeCloseTo(-0.5, 14); // opposite signs
  });

  it('returns a diagonal matrix sorted, with unit vectors', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([1, 0, 0, 0, 5, 0, 0, 0, -2]), 3);
    expect(Array.from(values)).toEqual([5, 1, -2]);
    expect(Array.from(vectors).map(Math.abs)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('handles the tridiagonal [-1, 2, -1] matrix, whose eigenvalues are known in closed form', () => {
    // Eigenvalues of the n x n second-difference matrix: 2 - 2 cos(k pi / (n + 1)), k = 1..n.
    const n = 40;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const expected = Array.from(
      { length: n },
      (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    );
    expected.sort((p, q) => q - p);
    const { values } = symmetricEigen(a, n);
    values.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 12));
  });

  it('diagonalises random symmetric matrices to round-off', () => {
    for (const n of [1, 3, 17, 120]) {
      const a = randomSymmetric(n, n);
      const { values, eigen, orthogonality } = residuals(a, n);
      expect(eigen).toBeLessThan(1e-12 * n);
      expect(orthogonality).toBeLessThan(1e-12 * n);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i];
      expect(values.reduce((p, v) => p + v, 0)).toBeCloseTo(trace, 10);
      for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    }
  });

  it('copes with repeated eigenvalues and a rank-one matrix', () => {
    const n = 6;
    const u = [1, 2, 0, -1, 3, 1];
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = u[i] * u[j];
    const { values, eigen, orthogonality } = residuals(a, n);
    expect(values[0]).toBeCloseTo(16, 12); // |u|^2
    for (let k = 1; k < n; k++) expect(Math.abs(values[k])).toBeLessThan(1e-13);
    expect(eigen).toBeLessThan(1e-13);
    expect(orthogonality).toBeLessThan(1e-13);
  });

  it('reads only the lower triangle and leaves its input alone', () => {
    const lower = Float64Array.from([4, 99, 1, 3]); // the 99 above the diagonal is ignored
    const { values } = symmetricEigen(lower, 2);
    const expected = symmetricEigen(Float64Array.from([4, 1, 1, 3]), 2).values;
    expect(Array.from(values)).toEqual(Array.from(expected));
    expect(Array.from(lower)).toEqual([4, 99, 1, 3]);
  });

  it('gives the same bits on the wasm-simd and js backends', () => {
    // Odd sizes leave every SIMD kernel a scalar tail; 41 > 8 columns per rotation block.
    for (const n of [2, 3, 9, 41]) {
      const a = randomSymmetric(n, n);
      const results = BACKENDS.map((backend) => {
        setBackend(backend);
        return symmetricEigen(a, n);
      });
      setBackend('auto');
      expect(results[0].values).toEqual(results[1].values);
      const [first, second] = results.map((result) => Array.from(result.vectors));
      expect(first.every((value, i) => Object.is(value, second[i]))).toBe(true);
    }
  });

  it('finds only the leading eigenvectors, with the same eigenvalues and the same vectors', () => {
    for (const [n, count] of [
      [20, 3],
      [120, 9],
      [120, 0],
    ]) {
      const a = randomSymmetric(n, n + 1);
      const full = symmetricEigen(a, n);
      const top = symmetricEigen(a, n, { vectors: count });
      expect(top.values).toEqual(full.values);
      expect(top.vectors.length).toBe(count * n);
      for (let k = 0; k < count; k++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += top.vectors[k * n + j] * full.vectors[k * n + j];
        expect(1 - Math.abs(dot)).toBeLessThan(1e-12);
      }
    }
  });

  it('keeps the leading eigenvectors of a cluster of equal eigenvalues orthonormal', () => {
    // A = H diag(5, 5, 5, 5 - 1e-9, 3, 2, 1, ...) H with H = I - 2 u u^T / |u|^2.
    const n = 30;
    const lambda = Array.from({ length: n }, (_, i) =>
      i < 3 ? 5 : i === 3 ? 5 - 1e-9 : 4 - i / 10,
    );
    const u = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const uu = u.reduce((p, v) => p + v * v, 0);
    const h = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) a[i * n + j] += h(i, k) * lambda[k] * h(k, j);
      }
    }
    const count = 4;
    const { values, vectors } = symmetricEigen(a, n, { vectors: count });
    expect(values[0]).toBeCloseTo(5, 12);
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
        expect(Math.abs(av - values[k] * vectors[k * n + i])).toBeLessThan(1e-12);
      }
      for (let l = 0; l < count; l++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
        expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('gives the same leading eigenvectors on the wasm-simd and js backends', () => {
    const a = randomSymmetric(41, 7);
    const results = BACKENDS.map((backend) => {
      setBackend(backend);
      return symmetricEigen(a, 41, { vectors: 5 });
    });
    setBackend('auto');
    expect(results[0].values).toEqual(results[1].values);
    expect(results[0].vectors).toEqual(results[1].vectors);
  });

  it('refuses a count of vectors outside [0, n]', () => {
    const a = randomSymmetric(4, 1);
    for (const vectors of [-1, 5, 1.5, Number.NaN]) {
      expect(() => symmetricEigen(a, 4, { vectors })).toThrow(
        /vectors must be an integer in \[0, 4\]/,
      );
    }
  });

  it('refuses non-square input and non-finite values', () => {
    expect(() => symmetricEigen(new Float64Array(6), 2)).toThrow(ShapeError);
    expect(() => symmetricEigen(Float64Array.from([1, 0, Number.NaN, 1]), 2)).toThrow(ValueError);
  });
});
