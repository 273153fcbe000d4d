// Inverse iteration against the closed-form eigenvectors of the second-difference matrix.
import { describe, expect, it } from 'vitest';
import { tridiagonalEigenvectors } from '../src/inverse-iteration.js';

/** T = tridiag(-1, 2, -1): eigenvalues 2 - 2 cos(k pi / (n + 1)), vectors sin(j k pi / (n + 1)). */
function secondDifference(n: number) {
  const d = new Float64Array(n).fill(2);
  const e = new Float64Array(n).fill(-1);
  e[n - 1] = 0;
  const ks = Array.from({ length: n }, (_, i) => n - i); // largest eigenvalue first
  const values = Float64Array.from(ks, (k) => 2 - 2 * Math.cos((k * Math.PI) / (n + 1)));
  const vector = (k: number) => {
    const v = Array.from({ length: n }, (_, j) => Math.sin(((j + 1) * k * Math.PI) / (n + 1)));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  return { d, e, values, ks, vector };
}

describe('tridiagonalEigenvectors', () => {
  it('finds the known eigenvectors of the second-difference matrix', () => {
    const n = 50;
    const { d, e, values, ks, vector } = secondDifference(n);
    const vectors = tridiagonalEigenvectors(d, e, n, values, 6);
    expect(vectors).not.toBeNull();
    for (let r = 0; r < 6; r++) {
      const expected = vector(ks[r]);
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors![r * n + j] * expected[j];
      expect(Math.abs(dot)).toBeCloseTo(1, 13);
    }
    // The input is left alone: the LU works on copies.
    expect(Array.from(d)).toEqual(new Array(n).fill(2));
  });

  it('gives up (null) when a value is not an eigenvalue, so the caller can rotate instead', () => {
    const n = 20;
    const { d, e, values } = secondDifference(n);
    const wrong = Float64Array.from(values);
    wrong[1] = (values[1] + values[2]) / 2;
    expect(tridiagonalEigenvectors(d, e, n, wrong, 3)).toBeNull();
    expect(tridiagonalEigenvectors(d, e, n, values, 3)).not.toBeNull();
  });
});
