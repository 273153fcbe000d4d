import { Rng } from './rng.js';

/** Solves per eigenvector: LAPACK's dstein makes at least 1 + 2 extra. */
const SOLVES = 3;
/** Eigenvalues closer than this times ||T|| form a cluster, whose vectors are orthogonalised (dstein's ORTOL). */
const CLUSTER = 1e-3;
/** A vector is accepted when ||T x - lambda x|| <= RESIDUAL sqrt(n) eps ||T||. */
const RESIDUAL = 10;

/**
 * Unit eigenvectors of the symmetric tridiagonal T (diagonal `d`, off-diagonal `e`, `e[k]`
 * coupling k and k + 1) for its eigenvalues `values[0..count)`, taken as accurate (implicit QL
 * finds them to within a few eps ||T||): row k of the result, count x n, belongs to
 * `values[k]`. Inverse iteration (Wilkinson; Golub & Van Loan, "Matrix Computations", 4th ed.,
 * section 8.4.2; LAPACK's dstein): from a fixed pseudo-random start, solve (T - lambda I) y = x
 * and normalise, {@link SOLVES} times. The solves multiply the wanted component by
 * 1 / |lambda - lambda_true|, so one is usually enough and the others make sure. Vectors whose
 * eigenvalues lie within {@link CLUSTER} ||T|| of each other are made orthogonal by
 * modified Gram-Schmidt after every solve, since inverse iteration alone cannot tell their
 * directions apart. O(n) a solve, O(n count) for all but the orthogonalisation.
 *
 * Returns null when some vector's residual ||T x - lambda x|| is above
 * {@link RESIDUAL} sqrt(n) eps ||T||, for the caller to use a method that always works.
 */
export function tridiagonalEigenvectors(
  d: Float64Array,
  e: Float64Array,
  n: number,
  values: Float64Array,
  count: number,
): Float64Array | null {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  }
  const tiny = Number.EPSILON * Math.max(norm, Number.MIN_VALUE);
  const lu = new ShiftedTridiagonalLu(n);
  const vectors = new Float64Array(count * n);
  const rng = new Rng(1);
  let clusterStart = 0;
  for (let k = 0; k < count; k++) {
    const lambda = values[k];
    if (k > 0 && values[k - 1] - lambda > CLUSTER * norm) clusterStart = k;
    const x = vectors.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) x[i] = 2 * rng.uniform() - 1;
    lu.factor(d, e, lambda, tiny);
    for (let solve = 0; solve < SOLVES; solve++) {
      lu.solve(x);
      for (let j = clusterStart; j < k; j++) {
        subtractProjection(x, vectors.subarray(j * n, (j + 1) * n));
      }
      normalise(x);
    }
    if (!(residualNorm(d, e, n, lambda, x) <= RESIDUAL * Math.sqrt(n) * tiny)) return null;
  }
  return vectors;
}

/**
 * The LU factorisation of T - lambda I with partial pivoting (LAPACK's dlagtf): rows may swap
 * with the next one, so U has two superdiagonals. A zero pivot becomes `tiny` (eps ||T||):
 * lambda is an eigenvalue, so T - lambda I is singular to working precision, and the solve's
 * huge result is the eigenvector direction inverse iteration is after.
 */
class ShiftedTridiagonalLu {
  private readonly u0: Float64Array;
  private readonly u1: Float64Array;
  private readonly u2: Float64Array;
  private readonly multipliers: Float64Array;
  private readonly swapped: Uint8Array;

  constructor(private readonly n: number) {
    this.u0 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.multipliers = new Float64Array(n);
    this.swapped = new Uint8Array(n);
  }

  factor(d: Float64Array, e: Float64Array, lambda: number, tiny: number): void {
    const { n, u0, u1, u2, multipliers, swapped } = this;
    // The row being eliminated, at columns k, k + 1, k + 2.
    let c0 = d[0] - lambda;
    let c1 = n > 1 ? e[0] : 0;
    let c2 = 0;
    for (let k = 0; k + 1 < n; k++) {
      // Row k + 1 of T - lambda I, at the same columns.
      let n0 = e[k];
      let n1 = d[k + 1] - lambda;
      let n2 = k + 2 < n ? e[k + 1] : 0;
      swapped[k] = Math.abs(n0) > Math.abs(c0) ? 1 : 0;
      if (swapped[k] === 1) {
        [c0, n0] = [n0, c0];
        [c1, n1] = [n1, c1];
        [c2, n2] = [n2, c2];
      }
      if (c0 === 0) c0 = tiny;
      const l = n0 / c0;
      u0[k] = c0;
      u1[k] = c1;
      u2[k] = c2;
      multipliers[k] = l;
      c0 = n1 - l * c1;
      c1 = n2 - l * c2;
      c2 = 0;
    }
    u0[n - 1] = c0 === 0 ? tiny : c0;
    u1[n - 1] = 0;
    u2[n - 1] = 0;
  }

  /** x <- (T - lambda I)^-1 x. */
  solve(x: Float64Array): void {
    const { n, u0, u1, u2, multipliers, swapped } = this;
    for (let k = 0; k + 1 < n; k++) {
      if (swapped[k] === 1) {
        const t = x[k];
        x[k] = x[k + 1];
        x[k + 1] = t;
      }
      x[k + 1] -= multipliers[k] * x[k];
    }
    x[n - 1] /= u0[n - 1];
    if (n > 1) x[n - 2] = (x[n - 2] - u1[n - 2] * x[n - 1]) / u0[n - 2];
    for (let k = n - 3; k >= 0; k--) {
      x[k] = (x[k] - u1[k] * x[k + 1] - u2[k] * x[k + 2]) / u0[k];
    }
  }
}

/** x <- x - (x . v) v, for a unit v. */
function subtractProjection(x: Float64Array, v: Float64Array): void {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i] * v[i];
  for (let i = 0; i < x.length; i++) x[i] -= dot * v[i];
}

function normalise(x: Float64Array): void {
  // Scaled first: a solve can return values near the float64 range's top.
  let largest = 0;
  for (let i = 0; i < x.length; i++) largest = Math.max(largest, Math.abs(x[i]));
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] / largest) ** 2;
  const scale = 1 / (largest * Math.sqrt(sum));
  for (let i = 0; i < x.length; i++) x[i] *= scale;
}

/** ||T x - lambda x||_2. */
function residualNorm(
  d: Float64Array,
  e: Float64Array,
  n: number,
  lambda: number,
  x: Float64Array,
): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let r = (d[i] - lambda) * x[i];
    if (i > 0) r += e[i - 1] * x[i - 1];
    if (i + 1 < n) r += e[i] * x[i + 1];
    sum += r * r;
  }
  return Math.sqrt(sum);
}
