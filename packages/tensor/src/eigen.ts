import { kernelsHolding } from './backend.js';
import { allocate } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { tridiagonalEigenvectors } from './inverse-iteration.js';
import { KernelsArena } from './wasm/kernels-arena.js';
import type { WasmKernels } from './wasm/kernels.js';

/** Eigenvalues and eigenvectors of a symmetric matrix, from {@link symmetricEigen}. */
export interface SymmetricEigen {
  /** The n eigenvalues in decreasing order. */
  values: Float64Array;
  /** `vectors` x n row-major (n x n by default): row k is the unit eigenvector of `values[k]`. */
  vectors: Float64Array;
}

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /** How many eigenvectors, for the largest eigenvalues (an integer in [0, n]; default n). */
  vectors?: number;
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
 * Work is O(n^3) in float64 with O(n^2) memory. On `'wasm-simd'` its O(n^3) loops run
 * as SIMD kernels, with the same bits as the JavaScript loops: n = 717 (MNIST's varying
 * pixels) takes 0.24 s instead of 1.05 s.
 *
 * With `vectors` below n / 2 (the leading principal axes of a PCA), step 2 rotates nothing:
 * QL finds the eigenvalues alone, in O(n^2), and the wanted eigenvectors of T come from
 * inverse iteration (`tridiagonalEigenvectors`, as LAPACK's dstein), which Q takes back to
 * A's coordinates in O(vectors n^2). The eigenvalues are the same bits either way. Should
 * inverse iteration miss a vector (a residual check), the rotations are done after all.
 *
 * Throws a ShapeError when `matrix` is not n x n, a ValueError when it holds NaN or infinity
 * or `vectors` is not a count in [0, n].
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
  { vectors: count = n }: SymmetricEigenOptions = {},
): SymmetricEigen {
  if (!Number.isInteger(n) || n < 1 || matrix.length !== n * n) {
    throw new ShapeError(
      `symmetricEigen needs an n x n matrix with n >= 1: got ${matrix.length} elements for n = ${n}`,
    );
  }
  if (!Number.isInteger(count) || count < 0 || count > n) {
    throw new ValueError(
      `symmetricEigen vectors must be an integer in [0, ${n}], got ${String(count)}`,
    );
  }
  // The working arrays, where the WebAssembly kernels can use them in place.
  const arena = new KernelsArena(allocate);
  try {
    const a = arena.allocate('float64', n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = matrix[i * n + j];
        if (!Number.isFinite(v)) {
          throw new ValueError(`symmetricEigen matrix element (${i}, ${j}) is ${v}: expected finite`); // prettier-ignore
        }
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
    }
    const loops = new EigenLoops(arena, a, n);
    const diagonal = new Float64Array(n);
    const offDiagonal = new Float64Array(n);
    tridiagonalise(loops, diagonal, offDiagonal);
    if (2 * count < n) {
      const tridiagonal = { d: diagonal.slice(), e: offDiagonal.slice() };
      diagonaliseTridiagonal(loops, diagonal, offDiagonal, false);
      const values = diagonal.sort().reverse();
      const ofT = tridiagonalEigenvectors(tridiagonal.d, tridiagonal.e, n, values, count);
      if (ofT !== null) return { values, vectors: backTransform(ofT, loops.basis, n, count) };
      diagonal.set(tridiagonal.d);
      offDiagonal.set(tridiagonal.e);
    }
    diagonaliseTridiagonal(loops, diagonal, offDiagonal, true);
    return sortDecreasing(diagonal, loops.basis, n, count);
  } finally {
    arena.release();
  }
}

/**
 * The O(n^3) loops of the two phases over the working arrays: A (the matrix, reduced in
 * place), the basis Q^T that becomes the eigenvectors, and scratch. On `'wasm-simd'` (with the
 * arrays in the kernels memory) SIMD kernels run them (assembly/eigen-kernels.ts), with every
 * element's operations in the order of the JavaScript loops here, so both give the same bits.
 */
class EigenLoops {
  /** Q^T, row-major; its rows become the eigenvectors. */
  readonly basis: Float64Array;
  /** p, then w, of the current Householder step. */
  readonly p: Float64Array;
  /** The cosines and sines of the current QL sweep's rotations, by row index. */
  readonly cosines: Float64Array;
  readonly sines: Float64Array;
  private readonly sums: Float64Array;
  private readonly kernels: WasmKernels | undefined;

  constructor(
    arena: KernelsArena,
    readonly a: Float64Array,
    readonly n: number,
  ) {
    this.basis = arena.allocate('float64', n * n);
    this.p = arena.allocate('float64', n);
    this.cosines = arena.allocate('float64', n);
    this.sines = arena.allocate('float64', n);
    this.sums = arena.allocate('float64', n);
    this.kernels = kernelsHolding(a, this.basis, this.p, this.cosines, this.sines, this.sums);
  }

  /** p[i] = beta (A[i, from..] . v[from..]) for i in [from, n), v = A's row `k`. */
  symmetricTimes(k: number, from: number, beta: number): void {
    const { a, n, p, kernels } = this;
    if (kernels !== undefined) {
      kernels.exports.symmetricTimes(at(kernels, a), n, from, at(kernels, a, k * n), beta, at(kernels, p)); // prettier-ignore
      return;
    }
    const row = k * n;
    for (let i = from; i < n; i++) {
      let s = 0;
      const ai = i * n;
      for (let j = from; j < n; j++) s += a[ai + j] * a[row + j];
      p[i] = beta * s;
    }
  }

  /** A[i, j] -= v[i] w[j] + w[i] v[j] for i, j in [from, n), v = A's row `k`, w = p. */
  rank2Update(k: number, from: number): void {
    const { a, n, p: w, kernels } = this;
    if (kernels !== undefined) {
      kernels.exports.symmetricRank2Update(at(kernels, a), n, from, at(kernels, a, k * n), at(kernels, w)); // prettier-ignore
      return;
    }
    const row = k * n;
    for (let i = from; i < n; i++) {
      const ai = i * n;
      const vi = a[row + i];
      const wi = w[i];
      for (let j = from; j < n; j++) a[ai + j] -= vi * w[j] + wi * a[row + j];
    }
  }

  /** Rows [from, n) of the basis times I - beta v v^T (columns [from, n)), v = A's row `k`. */
  reflectBasis(k: number, from: number, beta: number): void {
    const { a, n, basis, kernels } = this;
    if (kernels !== undefined) {
      kernels.exports.reflectRows(at(kernels, basis), n, from, at(kernels, a, k * n), beta, at(kernels, this.sums)); // prettier-ignore
      return;
    }
    const row = k * n;
    for (let r = from; r < n; r++) {
      const m = r * n;
      let s = 0;
      for (let j = from; j < n; j++) s += basis[m + j] * a[row + j];
      s *= beta;
      for (let j = from; j < n; j++) basis[m + j] -= s * a[row + j];
    }
  }

  /**
   * The current sweep's rotations, for i = last down to first: rows (i, i + 1) of the basis
   * <- [[c_i, -s_i], [s_i, c_i]] applied to them.
   */
  rotateBasis(first: number, last: number): void {
    const { n, basis, cosines, sines, kernels } = this;
    if (first > last) return;
    if (kernels !== undefined) {
      kernels.exports.rotateRowPairs(at(kernels, basis), n, first, last, at(kernels, cosines), at(kernels, sines)); // prettier-ignore
      return;
    }
    for (let i = last; i >= first; i--) {
      const c = cosines[i];
      const s = sines[i];
      const upper = i * n;
      const lower = upper + n;
      for (let k = 0; k < n; k++) {
        const x = basis[upper + k];
        const y = basis[lower + k];
        basis[upper + k] = c * x - s * y;
        basis[lower + k] = s * x + c * y;
      }
    }
  }
}

/** The byte offset of `array[index]` in the kernels memory. */
function at(kernels: WasmKernels, array: Float64Array, index = 0): number {
  return kernels.offsetOf(array) + index * 8;
}

/**
 * Householder reduction of the symmetric `loops.a` (overwritten) to tridiagonal form (Golub &
 * Van Loan, algorithm 8.3.1). Fills `d` with T's diagonal and `e` with its off-diagonal
 * (`e[k]` couples k and k + 1), and `loops.basis` with `Q^T` row-major, where `A = Q T Q^T`.
 */
function tridiagonalise(loops: EigenLoops, d: Float64Array, e: Float64Array): void {
  const { a, n, p } = loops;
  const betas = new Float64Array(n);
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
    loops.symmetricTimes(k, k + 1, beta);
    let pv = 0;
    for (let i = k + 1; i < n; i++) pv += p[i] * a[row + i];
    const half = (beta * pv) / 2;
    for (let i = k + 1; i < n; i++) p[i] -= half * a[row + i];
    loops.rank2Update(k, k + 1);
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 1) * n + n - 2];
  }
  d[n - 1] = a[n * n - 1];
  e[n - 1] = 0;

  // Q^T = H_{n-3} ... H_1 H_0, accumulated backwards as M <- M H_k starting from M = I:
  // M is the identity outside rows and columns > k, so each step touches only that block.
  const qt = loops.basis;
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    if (betas[k] !== 0) loops.reflectBasis(k, k + 1, betas[k]);
  }
}

/**
 * Implicit QL iteration on the tridiagonal (d, e) (Golub & Van Loan, section 8.3.3, in the QL
 * form of the Handbook's tql2): for each leading index l, sweep rotations up from the first
 * negligible off-diagonal m until e[l] vanishes. Each sweep is one QL step with Wilkinson's
 * shift (the eigenvalue of the trailing 2 x 2 block nearer to d[l]), done implicitly by
 * chasing the bulge with Givens rotations. Every rotation of (i, i+1) is applied to rows i,
 * i+1 of `loops.basis`, a sweep's rotations together once it is done (as LAPACK's dlasr does),
 * which turns Q^T into the eigenvectors (one per row), unless `rotateBasis` is false. `d` ends
 * as the eigenvalues.
 */
function diagonaliseTridiagonal(
  loops: EigenLoops,
  d: Float64Array,
  e: Float64Array,
  rotateBasis: boolean,
): void {
  const { n, cosines, sines } = loops;
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
        cosines[i] = c;
        sines[i] = s;
      }
      // The sweep's rotations, in the order made, to the basis rows (i, i+1) they name.
      if (rotateBasis) loops.rotateBasis(i + 1, m - 1);
      if (r === 0 && i >= l) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** The eigenvalues in decreasing order, and the eigenvectors of the first `count`. */
function sortDecreasing(
  values: Float64Array,
  vectors: Float64Array,
  n: number,
  count: number,
): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[j] - values[i]);
  const sortedValues = new Float64Array(n);
  const sortedVectors = new Float64Array(count * n);
  order.forEach((from, to) => {
    sortedValues[to] = values[from];
    if (to < count) sortedVectors.set(vectors.subarray(from * n, from * n + n), to * n);
  });
  return { values: sortedValues, vectors: sortedVectors };
}

/** A's eigenvectors Q x from T's eigenvectors x (rows of `ofT`), with `qt` = Q^T row-major. */
function backTransform(
  ofT: Float64Array,
  qt: Float64Array,
  n: number,
  count: number,
): Float64Array {
  const vectors = new Float64Array(count * n);
  for (let k = 0; k < count; k++) {
    const v = vectors.subarray(k * n, (k + 1) * n);
    // (Q x)_j = sum_r Q^T[r, j] x_r: a sum of the rows of Q^T.
    for (let r = 0; r < n; r++) {
      const x = ofT[k * n + r];
      const row = r * n;
      for (let j = 0; j < n; j++) v[j] += x * qt[row + j];
    }
  }
  return vectors;
}
