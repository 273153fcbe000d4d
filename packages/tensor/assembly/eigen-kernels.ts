/**
 * The O(n^3) loops of `symmetricEigen` (src/eigen.ts) for the `wasm-simd` backend, in float64:
 * the Householder tridiagonalisation's product and rank-2 update, the accumulation of its
 * reflections, and the implicit QL sweeps' rotations. Every element goes through the same
 * operations in the same order as in the JavaScript loops, so the results are theirs bit for
 * bit:
 *
 * - An elementwise update (the rank-2 update, a reflection's axpy, a rotation) takes two
 *   elements of a row per f64x2 step.
 * - A sum along a row (a row of A times v) stays one sequential sum per row: two rows share
 *   each step, one per lane, so each lane still adds its row's terms in column order.
 *
 * Matrices are n x n row-major float64 at byte offsets; `from` is the first row and column of
 * the trailing block a step works on.
 */

/** Lane 0: row r at column j; lane 1: row r + 1 at column j (`rowBytes` apart). */
function twoRows(at: usize, rowBytes: usize): v128 {
  return v128.load64_lane(at + rowBytes, v128.load64_splat(at), 1);
}

/** out[i] = sum over j in [from, n) of m[i, j] v[j], for i in [from, n), each in column order. */
function rowsTimesVector(m: usize, n: i32, from: i32, v: usize, out: usize): void {
  const rowBytes = (<usize>n) << 3;
  let i = from;
  for (; i + 2 <= n; i += 2) {
    let at = m + <usize>i * rowBytes + ((<usize>from) << 3);
    let sum = f64x2.splat(0);
    for (let j = from; j < n; j++) {
      sum = f64x2.add(sum, f64x2.mul(twoRows(at, rowBytes), v128.load64_splat(v + ((<usize>j) << 3)))); // prettier-ignore
      at += 8;
    }
    v128.store(out + ((<usize>i) << 3), sum);
  }
  if (i < n) {
    const row = m + <usize>i * rowBytes;
    let sum: f64 = 0;
    for (let j = from; j < n; j++) sum += load<f64>(row + ((<usize>j) << 3)) * load<f64>(v + ((<usize>j) << 3)); // prettier-ignore
    store<f64>(out + ((<usize>i) << 3), sum);
  }
}

/** p[i] = beta (A[i, from..] . v[from..]) for i in [from, n): the reflection's product. */
export function symmetricTimes(a: usize, n: i32, from: i32, v: usize, beta: f64, p: usize): void {
  rowsTimesVector(a, n, from, v, p);
  for (let i = from; i < n; i++) {
    const at = p + ((<usize>i) << 3);
    store<f64>(at, beta * load<f64>(at));
  }
}

/** A[i, j] -= v[i] w[j] + w[i] v[j] for i, j in [from, n). */
export function symmetricRank2Update(a: usize, n: i32, from: i32, v: usize, w: usize): void {
  const rowBytes = (<usize>n) << 3;
  for (let i = from; i < n; i++) {
    const row = a + <usize>i * rowBytes;
    const vi = load<f64>(v + ((<usize>i) << 3));
    const wi = load<f64>(w + ((<usize>i) << 3));
    const vis = f64x2.splat(vi);
    const wis = f64x2.splat(wi);
    let j = from;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const change = f64x2.add(f64x2.mul(vis, v128.load(w + o)), f64x2.mul(wis, v128.load(v + o)));
      v128.store(row + o, f64x2.sub(v128.load(row + o), change));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(row + o, load<f64>(row + o) - (vi * load<f64>(w + o) + wi * load<f64>(v + o)));
    }
  }
}

/**
 * Applies the reflection I - beta v v^T from the right to rows [from, n) of q, on columns
 * [from, n): s = beta (q_r . v), then q_r -= s v. `sums` is scratch for n float64s.
 */
export function reflectRows(q: usize, n: i32, from: i32, v: usize, beta: f64, sums: usize): void {
  rowsTimesVector(q, n, from, v, sums);
  const rowBytes = (<usize>n) << 3;
  for (let r = from; r < n; r++) {
    const row = q + <usize>r * rowBytes;
    const s = beta * load<f64>(sums + ((<usize>r) << 3));
    const ss = f64x2.splat(s);
    let j = from;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.mul(ss, v128.load(v + o))));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      store<f64>(row + o, load<f64>(row + o) - s * load<f64>(v + o));
    }
  }
}

/**
 * One QL sweep's rotations, in the order the sweep made them: for i = last down to first, rows
 * (i, i + 1) of z <- [[c_i, -s_i], [s_i, c_i]] applied to them. Eight columns at a time go
 * through all the rotations (whole cache lines, each loaded once per sweep).
 */
export function rotateRowPairs(z: usize, n: i32, first: i32, last: i32, c: usize, s: usize): void {
  const rowBytes = (<usize>n) << 3;
  let k = 0;
  for (; k + 8 <= n; k += 8) {
    const column = z + ((<usize>k) << 3);
    for (let i = last; i >= first; i--) {
      const ci = v128.load64_splat(c + ((<usize>i) << 3));
      const si = v128.load64_splat(s + ((<usize>i) << 3));
      const upper = column + <usize>i * rowBytes;
      const lower = upper + rowBytes;
      for (let o: usize = 0; o < 64; o += 16) {
        const x = v128.load(upper + o);
        const y = v128.load(lower + o);
        v128.store(upper + o, f64x2.sub(f64x2.mul(ci, x), f64x2.mul(si, y)));
        v128.store(lower + o, f64x2.add(f64x2.mul(si, x), f64x2.mul(ci, y)));
      }
    }
  }
  for (let i = last; i >= first; i--) {
    const ci = load<f64>(c + ((<usize>i) << 3));
    const si = load<f64>(s + ((<usize>i) << 3));
    const upper = z + <usize>i * rowBytes;
    const lower = upper + rowBytes;
    for (let j = k; j < n; j++) {
      const o = (<usize>j) << 3;
      const x = load<f64>(upper + o);
      const y = load<f64>(lower + o);
      store<f64>(upper + o, ci * x - si * y);
      store<f64>(lower + o, si * x + ci * y);
    }
  }
}
