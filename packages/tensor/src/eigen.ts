import { ShapeError, ValueError } from './errors.js';

/** Eigenvalues and eigenvectors of a symmetric matrix, from {@link symmetricEigen}. */
export interface SymmetricEigen {
  /** The n eigenvalues in decreasing order. */
  values: Float64Array;
  /** n x n row-major: row k is the unit eigenvector of `values[k]`. */
  vectors: Float64Array;
}

/** Sweeps of implicit QL allowed per eigenvalue; two or three are typical. */
const MAX_SWEEPS_PER_VALUE = 60;

/**
 * All eigenvalues and eigenvectors of the symmetric n x n matrix `matrix` (row-major,
 * float64), so that `A v_k = values[k] v_k` with orthonormal `v_k`. Only the lower triangle
 * (column <= row) is read; the upper one is taken to mirror it, as LAPACK's `dsyev` does with
 * `uplo = 'L'`. `matrix` is not modified.
 *
 * The classical dense method (Golub & Van Loan, "Matrix Computations", 4th ed., sections 8.3.1
 * and 8.3.3; the EISPACK routines tred2 and tql2 of Wilkinson & Reinsch's "Handbook for
 * Automatic Computation", vol. II, 1971):
 *
 * 1. Householder tridiagonalisation: `Q^T A Q = T` with T tridiagonal, in 4n^3/3 flops.
 * 2. Implicit QL iteration with Wilkinson's shift on T, each sweep a chain of Givens
 *    rotations that are also applied to Q, so Q's rows converge to the eigenvectors.
 *
 * Work is O(n^3) in float64 with O(n^2) memory: about a second for n = 784 (MNIST's pixels).
 * Throws a ShapeError when `matrix` is not n x n, a ValueError when it holds NaN or infinity.
 */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new ShapeError(
      `symmetricEigen needs an n x n matrix with n >= 1: got ${matrix.length} elements for n = ${n}`,
    );
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = matrix[i * n + j];
      if (!Number.isFinite(v)) {
        throw new ValueError(`symmetricEigen matrix element (${i}, ${j}) is ${v}: expected finite`);
      }
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  const basis = tridiagonalise(a, n, diagonal, offDiagonal);
  diagonaliseTridiagonal(diagonal, offDiagonal, basis, n);
  return sortDecreasing(diagonal, basis, n);
}

/**
 * Householder reduction of the symmetric `a` (overwritten) to tridiagonal form (Golub & Van
 * Loan, algorithm 8.3.1). Fills `d` with T's diagonal and `e` with its off-diagonal
 * (`e[k]` couples k and k + 1), and returns `Q^T` row-major, where `A = Q T Q^T`.
 */
function tridiagonalise(
  a: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
): Float64Array {
  const betas = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    // x = A[k+1.., k] is row k's tail by symmetry. Choose H x = alpha e1 with alpha of the
    // opposite sign to x0, so v0 = x0 - alpha adds magnitudes and nothing cancels.
    const row = k * n;
    let norm = 0;
    for (let j = k + 1; j < n; j++) norm = Math.hypot(norm, a[row + j]);
    const x0 = a[row + k + 1];
    const alpha = x0 > 0 ? -norm : norm;
    d[k] = a[row + k];
    e[k] = alpha;
    if (norm === 0) {
      betas[k] = 0; // the column is already reduced: H = I
      continue;
    }
    // v = x - alpha e1 is stored in place of x (row k is not needed any more).
    a[row + k + 1] = x0 - alpha;
    let vv = 0;
    for (let j = k + 1; j < n; j++) vv += a[row + j] * a[row + j];
    const beta = 2 / vv;
    betas[k] = beta;
    // p = beta A22 v, w = p - (beta p.v / 2) v, then A22 -= v w^T + w v^T (= H A22 H).
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      const ai = i * n;
      for (let j = k + 1; j < n; j++) s += a[ai + j] * a[row + j];
      p[i] = beta * s;
      pv += p[i] * a[row + i];
    }
    const half = (beta * pv) / 2;
    for (let i = k + 1; i < n; i++) p[i] -= half * a[row + i];
    for (let i = k + 1; i < n; i++) {
      const ai = i * n;
      const vi = a[row + i];
      const wi = p[i];
      for (let j = k + 1; j < n; j++) a[ai + j] -= vi * p[j] + wi * a[row + j];
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 1) * n + n - 2];
  }
  d[n - 1] = a[n * n - 1];
  e[n - 1] = 0;

  // Q^T = H_{n-3} ... H_1 H_0, accumulated backwards as M <- M H_k starting from M = I:
  // M is the identity outside rows and columns > k, so each step touches only that block.
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const beta = betas[k];
    if (beta === 0) continue;
    const row = k * n;
    for (let r = k + 1; r < n; r++) {
      const m = r * n;
      let s = 0;
      for (let j = k + 1; j < n; j++) s += qt[m + j] * a[row + j];
      s *= beta;
      for (let j = k + 1; j < n; j++) qt[m + j] -= s * a[row + j];
    }
  }
  return qt;
}

/**
 * Implicit QL iteration on the tridiagonal (d, e) (Golub & Van Loan, section 8.3.3, in the QL
 * form of the Handbook's tql2): for each leading index l, sweep rotations up from the first
 * negligible off-diagonal m until e[l] vanishes. Each sweep is one QL step with Wilkinson's
 * shift (the eigenvalue of the trailing 2 x 2 block nearer to d[l]), done implicitly by
 * chasing the bulge with Givens rotations. Every rotation of (i, i+1) is applied to rows i,
 * i+1 of `zt`, which turns Q^T into the eigenvectors (one per row). `d` ends as the eigenvalues.
 */
function diagonaliseTridiagonal(
  d: Float64Array,
  e: Float64Array,
  zt: Float64Array,
  n: number,
): void {
  // An off-diagonal is negligible below eps ||T||: a perturbation of that size is within the
  // round-off already made, and unlike a test against its neighbours on the diagonal it also
  // settles blocks whose diagonal is zero (constant features of a covariance matrix).
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
  const negligible = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      let m = l;
      while (m < n - 1 && Math.abs(e[m]) > negligible) m++;
      if (m === l) break;
      if (++sweeps > MAX_SWEEPS_PER_VALUE) {
        throw new ValueError(`symmetricEigen did not converge for eigenvalue ${l} of ${n}`);
      }
      // Wilkinson shift from the 2 x 2 block at l, then the first rotation's (g) seed.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation underflowed: the matrix split at i; restart from the new block.
          d[i + 1] -= p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        rotateRows(zt, n, i, c, s);
      }
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** Rows (i, i+1) of `zt` <- [[c, -s], [s, c]] applied to them. */
function rotateRows(zt: Float64Array, n: number, i: number, c: number, s: number): void {
  const upper = i * n;
  const lower = upper + n;
  for (let k = 0; k < n; k++) {
    const x = zt[upper + k];
    const y = zt[lower + k];
    zt[upper + k] = c * x - s * y;
    zt[lower + k] = s * x + c * y;
  }
}

function sortDecreasing(values: Float64Array, vectors: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[j] - values[i]);
  const sortedValues = new Float64Array(n);
  const sortedVectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    sortedValues[to] = values[from];
    sortedVectors.set(vectors.subarray(from * n, from * n + n), to * n);
  });
  return { values: sortedValues, vectors: sortedVectors };
}
