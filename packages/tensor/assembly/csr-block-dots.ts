import { dotsSingle, fullSingle } from './csr-block-dots-f32';
import { rowBegin, rowEnd, rowValues } from './csr-rows';
import { expV, expV32 } from './exp';

/**
 * The CSR block-dot kernel of the `wasm-simd` backend (src/csr-block-dots.ts): the dot products
 * of a block of 1, 2, 4 or 8 dense query rows with many rows of a compressed-sparse-row matrix,
 * as the kernel rows of an SVM on sparse data (MNIST's pixels: 19% non-zero) need them.
 *
 * The queries are interleaved float64 columns, `queries[k * width + r]` = q_r[k], so that the
 * `width` values a non-zero x_tk multiplies are adjacent: one non-zero costs `width / 2` f64x2
 * loads, multiplies and adds. Every product of two float32 values is exact in float64, and each
 * sum runs over the row's non-zeros in stored order, one rounding per add: exactly the float64
 * sums of the `'js'` backend, bit for bit. So both backends give the same kernel values, and an
 * SVM trained on either the same model.
 *
 * With `gaussian` set, each dot product becomes exp(-gamma * max(0, |q_r|^2 + |x_t|^2 - 2 q_r.x_t))
 * (the RBF kernel) before it is stored, from the squared norms `queryNorms` (float64, width) and
 * `norms` (float64, one per row), by {@link expV}: a vectorised exp accurate to a few ulp (not
 * bit for bit Math.exp), the same operations whatever the lane or block width.
 *
 * With `full` > 0, every row stores all `full` columns, in order (a dense matrix in CSR form, as
 * principal components are): the i-th value of a row is then in column i, so the column indices
 * are not read, and the targets processed together share each column's query loads. The terms
 * and their order are the same, so are the sums.
 *
 * With `single` set, the sums are float32 instead (csr-block-dots-f32.ts: width 1, 4 or 8,
 * the queries float32), half the vector operations, and so is the RBF step's exp
 * ({@link expV32}, four lanes): its argument -gamma max(0, d) is formed in float64 and rounded
 * to float32, within the error float32 sums already bring.
 *
 * Pointers are byte offsets into the module's memory: `rowStart` int32 (rows + 1), `columns`
 * uint16 and `values` float32 (one each per non-zero), `queries` float64 (cols * width; float32
 * with `single`),
 * `targets` `count` int32 row indices, `out` float64 (width * count): out[r * count + t] = q_r . x_targets[t].
 */
export function csrBlockDots(
  rowStart: usize,
  columns: usize,
  values: usize,
  queries: usize,
  width: i32,
  targets: usize,
  count: i32,
  out: usize,
  gaussian: bool,
  norms: usize,
  queryNorms: usize,
  gamma: f64,
  full: i32,
  single: bool,
): void {
  if (single) {
    if (full > 0 && width === 1) full1<f32>(rowStart, values, full, queries, targets, count, out);
    else if (full > 0) fullSingle(rowStart, values, full, queries, width, targets, count, out);
    else if (width === 1) dots1<f32>(rowStart, columns, values, queries, targets, count, out);
    else dotsSingle(rowStart, columns, values, queries, width, targets, count, out);
  } else if (full > 0) {
    if (width === 8) full8(rowStart, values, full, queries, targets, count, out);
    else if (width === 4) full4(rowStart, values, full, queries, targets, count, out);
    else if (width === 2) full2(rowStart, values, full, queries, targets, count, out);
    else full1<f64>(rowStart, values, full, queries, targets, count, out);
  } else if (width === 8) dots8(rowStart, columns, values, queries, targets, count, out);
  else if (width === 4) dots4(rowStart, columns, values, queries, targets, count, out);
  else if (width === 2) dots2(rowStart, columns, values, queries, targets, count, out);
  else dots1<f64>(rowStart, columns, values, queries, targets, count, out);
  if (!gaussian) return;
  if (single) toGaussianSingle(norms, queryNorms, gamma, width, targets, count, out);
  else toGaussian(norms, queryNorms, gamma, width, targets, count, out);
}

/**
 * out[r * count + t] = exp(-gamma * max(0, queryNorms[r] + norms[targets[t]] - 2 out[r * count + t])),
 * two targets at a time, in the order of operations of the `'js'` backend.
 */
function toGaussian(
  norms: usize,
  queryNorms: usize,
  gamma: f64,
  width: i32,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const minusGamma = f64x2.splat(-gamma);
  for (let r = 0; r < width; r++) {
    const norm = load<f64>(queryNorms + ((<usize>r) << 3));
    const queryNorm = f64x2.splat(norm);
    const row = out + ((<usize>r * <usize>count) << 3);
    let t = 0;
    for (; t + 2 <= count; t += 2) {
      const exponents = exponentPair(norms, queryNorm, minusGamma, targets, t, row);
      v128.store(row + ((<usize>t) << 3), expV(exponents));
    }
    if (t < count) {
      const exponent = f64x2.splat(exponentAt(norms, norm, gamma, targets, t, row));
      store<f64>(row + ((<usize>t) << 3), f64x2.extract_lane(expV(exponent), 0));
    }
  }
}

/** -gamma max(0, queryNorm + norms[targets[t]] - 2 out[t]) for targets t and t + 1, in float64. */
function exponentPair(
  norms: usize,
  queryNorm: v128,
  minusGamma: v128,
  targets: usize,
  t: i32,
  row: usize,
): v128 {
  const at = (<usize>t) << 2;
  const n0 = load<f64>(norms + ((<usize>load<i32>(targets + at)) << 3));
  const n1 = load<f64>(norms + ((<usize>load<i32>(targets + at, 4)) << 3));
  const targetNorm = f64x2.replace_lane(f64x2.splat(n0), 1, n1);
  const dot = v128.load(row + ((<usize>t) << 3));
  const distance = f64x2.pmax(
    f64x2.splat(0),
    f64x2.sub(f64x2.add(queryNorm, targetNorm), f64x2.mul(f64x2.splat(2), dot)),
  );
  return f64x2.mul(minusGamma, distance);
}

/** The same exponent as {@link exponentPair}'s, for target t alone. */
function exponentAt(
  norms: usize,
  queryNorm: f64,
  gamma: f64,
  targets: usize,
  t: i32,
  row: usize,
): f64 {
  const targetNorm = load<f64>(norms + ((<usize>load<i32>(targets + ((<usize>t) << 2))) << 3));
  const distance = queryNorm + targetNorm - 2 * load<f64>(row + ((<usize>t) << 3));
  return -gamma * (distance > 0 ? distance : 0);
}

/**
 * {@link toGaussian} with a float32 exp: four targets at a time, their exponents formed in
 * float64, rounded to float32 for {@link expV32}, the results stored as float64. Each lane's
 * value depends on its own target only, so a tail of one to three targets gives the same bits.
 */
function toGaussianSingle(
  norms: usize,
  queryNorms: usize,
  gamma: f64,
  width: i32,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const minusGamma = f64x2.splat(-gamma);
  for (let r = 0; r < width; r++) {
    const norm = load<f64>(queryNorms + ((<usize>r) << 3));
    const queryNorm = f64x2.splat(norm);
    const row = out + ((<usize>r * <usize>count) << 3);
    let t = 0;
    for (; t + 4 <= count; t += 4) {
      const low = exponentPair(norms, queryNorm, minusGamma, targets, t, row);
      const high = exponentPair(norms, queryNorm, minusGamma, targets, t + 2, row);
      const exponents = v128.shuffle<i64>(
        f32x4.demote_f64x2_zero(low),
        f32x4.demote_f64x2_zero(high),
        0,
        2,
      );
      const values = expV32(exponents);
      const at = row + ((<usize>t) << 3);
      v128.store(at, f64x2.promote_low_f32x4(values));
      v128.store(at, f64x2.promote_low_f32x4(v128.shuffle<i64>(values, values, 1, 1)), 16);
    }
    for (; t < count; t++) {
      const exponent = f32x4.splat(<f32>exponentAt(norms, norm, gamma, targets, t, row));
      store<f64>(row + ((<usize>t) << 3), <f64>f32x4.extract_lane(expV32(exponent), 0));
    }
  }
}

// Every sum below adds one term per non-zero in stored order to its own accumulator, which
// starts at 0: that is all the order there is, so each value is the same bits whichever function
// (block width) or pairing of targets computed it. A chain of dependent adds waits 3-4 cycles
// per add, so each function interleaves the non-zeros of two targets (four for one query): twice
// the independent chains, over the first min(nnz) non-zeros of the pair, then each tail alone.

/** Where the 8 interleaved query values of non-zero q's column start. */
function column8(queries: usize, columns: usize, q: i32): usize {
  return queries + ((<usize>load<u16>(columns + ((<usize>q) << 1))) << 6);
}

function value(values: usize, q: i32): v128 {
  return f64x2.splat(<f64>load<f32>(values + ((<usize>q) << 2)));
}

function mulAdd(sum: v128, c: usize, offset: usize, v: v128): v128 {
  return f64x2.add(sum, f64x2.mul(v128.load(c + offset), v));
}

function storePair(at: usize, stride: usize, s: v128): void {
  store<f64>(at, f64x2.extract_lane(s, 0));
  store<f64>(at + stride, f64x2.extract_lane(s, 1));
}

function dots8(
  rowStart: usize,
  columns: usize,
  values: usize,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    const qa = rowBegin(rowStart, targets, t);
    const ea = rowEnd(rowStart, targets, t);
    const qb = rowBegin(rowStart, targets, t + 1);
    const eb = rowEnd(rowStart, targets, t + 1);
    const common = min(ea - qa, eb - qb);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let b2 = f64x2.splat(0);
    let b3 = f64x2.splat(0);
    for (let i = 0; i < common; i++) {
      const ca = column8(queries, columns, qa + i);
      const va = value(values, qa + i);
      const cb = column8(queries, columns, qb + i);
      const vb = value(values, qb + i);
      a0 = mulAdd(a0, ca, 0, va);
      b0 = mulAdd(b0, cb, 0, vb);
      a1 = mulAdd(a1, ca, 16, va);
      b1 = mulAdd(b1, cb, 16, vb);
      a2 = mulAdd(a2, ca, 32, va);
      b2 = mulAdd(b2, cb, 32, vb);
      a3 = mulAdd(a3, ca, 48, va);
      b3 = mulAdd(b3, cb, 48, vb);
    }
    for (let q = qa + common; q < ea; q++) {
      const c = column8(queries, columns, q);
      const v = value(values, q);
      a0 = mulAdd(a0, c, 0, v);
      a1 = mulAdd(a1, c, 16, v);
      a2 = mulAdd(a2, c, 32, v);
      a3 = mulAdd(a3, c, 48, v);
    }
    for (let q = qb + common; q < eb; q++) {
      const c = column8(queries, columns, q);
      const v = value(values, q);
      b0 = mulAdd(b0, c, 0, v);
      b1 = mulAdd(b1, c, 16, v);
      b2 = mulAdd(b2, c, 32, v);
      b3 = mulAdd(b3, c, 48, v);
    }
    const at = out + ((<usize>t) << 3);
    storePair(at, stride, a0);
    storePair(at + 2 * stride, stride, a1);
    storePair(at + 4 * stride, stride, a2);
    storePair(at + 6 * stride, stride, a3);
    storePair(at + 8, stride, b0);
    storePair(at + 8 + 2 * stride, stride, b1);
    storePair(at + 8 + 4 * stride, stride, b2);
    storePair(at + 8 + 6 * stride, stride, b3);
  }
  if (t < count) {
    const end = rowEnd(rowStart, targets, t);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    for (let q = rowBegin(rowStart, targets, t); q < end; q++) {
      const c = column8(queries, columns, q);
      const v = value(values, q);
      s0 = mulAdd(s0, c, 0, v);
      s1 = mulAdd(s1, c, 16, v);
      s2 = mulAdd(s2, c, 32, v);
      s3 = mulAdd(s3, c, 48, v);
    }
    const at = out + ((<usize>t) << 3);
    storePair(at, stride, s0);
    storePair(at + 2 * stride, stride, s1);
    storePair(at + 4 * stride, stride, s2);
    storePair(at + 6 * stride, stride, s3);
  }
}

function column4(queries: usize, columns: usize, q: i32): usize {
  return queries + ((<usize>load<u16>(columns + ((<usize>q) << 1))) << 5);
}

function dots4(
  rowStart: usize,
  columns: usize,
  values: usize,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    const qa = rowBegin(rowStart, targets, t);
    const ea = rowEnd(rowStart, targets, t);
    const qb = rowBegin(rowStart, targets, t + 1);
    const eb = rowEnd(rowStart, targets, t + 1);
    const common = min(ea - qa, eb - qb);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    for (let i = 0; i < common; i++) {
      const ca = column4(queries, columns, qa + i);
      const va = value(values, qa + i);
      const cb = column4(queries, columns, qb + i);
      const vb = value(values, qb + i);
      a0 = mulAdd(a0, ca, 0, va);
      b0 = mulAdd(b0, cb, 0, vb);
      a1 = mulAdd(a1, ca, 16, va);
      b1 = mulAdd(b1, cb, 16, vb);
    }
    for (let q = qa + common; q < ea; q++) {
      const c = column4(queries, columns, q);
      const v = value(values, q);
      a0 = mulAdd(a0, c, 0, v);
      a1 = mulAdd(a1, c, 16, v);
    }
    for (let q = qb + common; q < eb; q++) {
      const c = column4(queries, columns, q);
      const v = value(values, q);
      b0 = mulAdd(b0, c, 0, v);
      b1 = mulAdd(b1, c, 16, v);
    }
    const at = out + ((<usize>t) << 3);
    storePair(at, stride, a0);
    storePair(at + 2 * stride, stride, a1);
    storePair(at + 8, stride, b0);
    storePair(at + 8 + 2 * stride, stride, b1);
  }
  if (t < count) {
    const end = rowEnd(rowStart, targets, t);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    for (let q = rowBegin(rowStart, targets, t); q < end; q++) {
      const c = column4(queries, columns, q);
      const v = value(values, q);
      s0 = mulAdd(s0, c, 0, v);
      s1 = mulAdd(s1, c, 16, v);
    }
    const at = out + ((<usize>t) << 3);
    storePair(at, stride, s0);
    storePair(at + 2 * stride, stride, s1);
  }
}

function column2(queries: usize, columns: usize, q: i32): usize {
  return queries + ((<usize>load<u16>(columns + ((<usize>q) << 1))) << 4);
}

function dots2(
  rowStart: usize,
  columns: usize,
  values: usize,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    const qa = rowBegin(rowStart, targets, t);
    const ea = rowEnd(rowStart, targets, t);
    const qb = rowBegin(rowStart, targets, t + 1);
    const eb = rowEnd(rowStart, targets, t + 1);
    const common = min(ea - qa, eb - qb);
    let a = f64x2.splat(0);
    let b = f64x2.splat(0);
    for (let i = 0; i < common; i++) {
      a = mulAdd(a, column2(queries, columns, qa + i), 0, value(values, qa + i));
      b = mulAdd(b, column2(queries, columns, qb + i), 0, value(values, qb + i));
    }
    for (let q = qa + common; q < ea; q++) a = mulAdd(a, column2(queries, columns, q), 0, value(values, q)); // prettier-ignore
    for (let q = qb + common; q < eb; q++) b = mulAdd(b, column2(queries, columns, q), 0, value(values, q)); // prettier-ignore
    const at = out + ((<usize>t) << 3);
    storePair(at, stride, a);
    storePair(at + 8, stride, b);
  }
  if (t < count) {
    const end = rowEnd(rowStart, targets, t);
    let s = f64x2.splat(0);
    for (let q = rowBegin(rowStart, targets, t); q < end; q++) {
      s = mulAdd(s, column2(queries, columns, q), 0, value(values, q));
    }
    storePair(out + ((<usize>t) << 3), stride, s);
  }
}

/**
 * q[x_tk's column] * x_tk at non-zero q, in T: float64 (the product exact) or float32 (rounded),
 * the queries stored as T.
 */
function term1<T>(queries: usize, columns: usize, values: usize, q: i32): T {
  const c = queries + <usize>load<u16>(columns + ((<usize>q) << 1)) * sizeof<T>();
  return load<T>(c) * <T>load<f32>(values + ((<usize>q) << 2));
}

/** One query: scalar sums in T (f64 or f32), four targets interleaved. */
function dots1<T>(
  rowStart: usize,
  columns: usize,
  values: usize,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    const q0 = rowBegin(rowStart, targets, t);
    const e0 = rowEnd(rowStart, targets, t);
    const q1 = rowBegin(rowStart, targets, t + 1);
    const e1 = rowEnd(rowStart, targets, t + 1);
    const q2 = rowBegin(rowStart, targets, t + 2);
    const e2 = rowEnd(rowStart, targets, t + 2);
    const q3 = rowBegin(rowStart, targets, t + 3);
    const e3 = rowEnd(rowStart, targets, t + 3);
    const common = min(min(e0 - q0, e1 - q1), min(e2 - q2, e3 - q3));
    let s0 = <T>0;
    let s1 = <T>0;
    let s2 = <T>0;
    let s3 = <T>0;
    for (let i = 0; i < common; i++) {
      s0 += term1<T>(queries, columns, values, q0 + i);
      s1 += term1<T>(queries, columns, values, q1 + i);
      s2 += term1<T>(queries, columns, values, q2 + i);
      s3 += term1<T>(queries, columns, values, q3 + i);
    }
    for (let q = q0 + common; q < e0; q++) s0 += term1<T>(queries, columns, values, q);
    for (let q = q1 + common; q < e1; q++) s1 += term1<T>(queries, columns, values, q);
    for (let q = q2 + common; q < e2; q++) s2 += term1<T>(queries, columns, values, q);
    for (let q = q3 + common; q < e3; q++) s3 += term1<T>(queries, columns, values, q);
    const at = out + ((<usize>t) << 3);
    store<f64>(at, <f64>s0);
    store<f64>(at, <f64>s1, 8);
    store<f64>(at, <f64>s2, 16);
    store<f64>(at, <f64>s3, 24);
  }
  for (; t < count; t++) {
    const end = rowEnd(rowStart, targets, t);
    let sum = <T>0;
    for (let q = rowBegin(rowStart, targets, t); q < end; q++)
      sum += term1<T>(queries, columns, values, q);
    store<f64>(out + ((<usize>t) << 3), <f64>sum);
  }
}

// Rows that store every column (`full` of them, in order): row t's values start at
// values + 4 rowStart[t], and the query values of column i at queries + 8 width i.

function at(row: usize, i: i32): v128 {
  return f64x2.splat(<f64>load<f32>(row + ((<usize>i) << 2)));
}

function full8(
  rowStart: usize,
  values: usize,
  cols: i32,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    const ra = rowValues(rowStart, values, targets, t);
    const rb = rowValues(rowStart, values, targets, t + 1);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let b2 = f64x2.splat(0);
    let b3 = f64x2.splat(0);
    for (let i = 0; i < cols; i++) {
      const c = queries + ((<usize>i) << 6);
      const q0 = v128.load(c);
      const q1 = v128.load(c, 16);
      const q2 = v128.load(c, 32);
      const q3 = v128.load(c, 48);
      const va = at(ra, i);
      const vb = at(rb, i);
      a0 = f64x2.add(a0, f64x2.mul(q0, va));
      b0 = f64x2.add(b0, f64x2.mul(q0, vb));
      a1 = f64x2.add(a1, f64x2.mul(q1, va));
      b1 = f64x2.add(b1, f64x2.mul(q1, vb));
      a2 = f64x2.add(a2, f64x2.mul(q2, va));
      b2 = f64x2.add(b2, f64x2.mul(q2, vb));
      a3 = f64x2.add(a3, f64x2.mul(q3, va));
      b3 = f64x2.add(b3, f64x2.mul(q3, vb));
    }
    const o = out + ((<usize>t) << 3);
    storePair(o, stride, a0);
    storePair(o + 2 * stride, stride, a1);
    storePair(o + 4 * stride, stride, a2);
    storePair(o + 6 * stride, stride, a3);
    storePair(o + 8, stride, b0);
    storePair(o + 8 + 2 * stride, stride, b1);
    storePair(o + 8 + 4 * stride, stride, b2);
    storePair(o + 8 + 6 * stride, stride, b3);
  }
  if (t < count) {
    const r = rowValues(rowStart, values, targets, t);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    for (let i = 0; i < cols; i++) {
      const c = queries + ((<usize>i) << 6);
      const v = at(r, i);
      s0 = mulAdd(s0, c, 0, v);
      s1 = mulAdd(s1, c, 16, v);
      s2 = mulAdd(s2, c, 32, v);
      s3 = mulAdd(s3, c, 48, v);
    }
    const o = out + ((<usize>t) << 3);
    storePair(o, stride, s0);
    storePair(o + 2 * stride, stride, s1);
    storePair(o + 4 * stride, stride, s2);
    storePair(o + 6 * stride, stride, s3);
  }
}

function full4(
  rowStart: usize,
  values: usize,
  cols: i32,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    const ra = rowValues(rowStart, values, targets, t);
    const rb = rowValues(rowStart, values, targets, t + 1);
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    for (let i = 0; i < cols; i++) {
      const c = queries + ((<usize>i) << 5);
      const q0 = v128.load(c);
      const q1 = v128.load(c, 16);
      const va = at(ra, i);
      const vb = at(rb, i);
      a0 = f64x2.add(a0, f64x2.mul(q0, va));
      b0 = f64x2.add(b0, f64x2.mul(q0, vb));
      a1 = f64x2.add(a1, f64x2.mul(q1, va));
      b1 = f64x2.add(b1, f64x2.mul(q1, vb));
    }
    const o = out + ((<usize>t) << 3);
    storePair(o, stride, a0);
    storePair(o + 2 * stride, stride, a1);
    storePair(o + 8, stride, b0);
    storePair(o + 8 + 2 * stride, stride, b1);
  }
  if (t < count) {
    const r = rowValues(rowStart, values, targets, t);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    for (let i = 0; i < cols; i++) {
      const c = queries + ((<usize>i) << 5);
      const v = at(r, i);
      s0 = mulAdd(s0, c, 0, v);
      s1 = mulAdd(s1, c, 16, v);
    }
    const o = out + ((<usize>t) << 3);
    storePair(o, stride, s0);
    storePair(o + 2 * stride, stride, s1);
  }
}

function full2(
  rowStart: usize,
  values: usize,
  cols: i32,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    const r0 = rowValues(rowStart, values, targets, t);
    const r1 = rowValues(rowStart, values, targets, t + 1);
    const r2 = rowValues(rowStart, values, targets, t + 2);
    const r3 = rowValues(rowStart, values, targets, t + 3);
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    for (let i = 0; i < cols; i++) {
      const q = v128.load(queries + ((<usize>i) << 4));
      s0 = f64x2.add(s0, f64x2.mul(q, at(r0, i)));
      s1 = f64x2.add(s1, f64x2.mul(q, at(r1, i)));
      s2 = f64x2.add(s2, f64x2.mul(q, at(r2, i)));
      s3 = f64x2.add(s3, f64x2.mul(q, at(r3, i)));
    }
    const o = out + ((<usize>t) << 3);
    storePair(o, stride, s0);
    storePair(o + 8, stride, s1);
    storePair(o + 16, stride, s2);
    storePair(o + 24, stride, s3);
  }
  for (; t < count; t++) {
    const r = rowValues(rowStart, values, targets, t);
    let s = f64x2.splat(0);
    for (let i = 0; i < cols; i++) s = mulAdd(s, queries + ((<usize>i) << 4), 0, at(r, i));
    storePair(out + ((<usize>t) << 3), stride, s);
  }
}

/** One query: its value of column i serves four targets' scalar sums in T (f64 or f32). */
function full1<T>(
  rowStart: usize,
  values: usize,
  cols: i32,
  queries: usize,
  targets: usize,
  count: i32,
  out: usize,
): void {
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    const r0 = rowValues(rowStart, values, targets, t);
    const r1 = rowValues(rowStart, values, targets, t + 1);
    const r2 = rowValues(rowStart, values, targets, t + 2);
    const r3 = rowValues(rowStart, values, targets, t + 3);
    let s0 = <T>0;
    let s1 = <T>0;
    let s2 = <T>0;
    let s3 = <T>0;
    for (let i = 0; i < cols; i++) {
      const q = load<T>(queries + <usize>i * sizeof<T>());
      const k = (<usize>i) << 2;
      s0 += q * <T>load<f32>(r0 + k);
      s1 += q * <T>load<f32>(r1 + k);
      s2 += q * <T>load<f32>(r2 + k);
      s3 += q * <T>load<f32>(r3 + k);
    }
    const o = out + ((<usize>t) << 3);
    store<f64>(o, <f64>s0);
    store<f64>(o, <f64>s1, 8);
    store<f64>(o, <f64>s2, 16);
    store<f64>(o, <f64>s3, 24);
  }
  for (; t < count; t++) {
    const r = rowValues(rowStart, values, targets, t);
    let sum = <T>0;
    for (let i = 0; i < cols; i++) {
      sum += load<T>(queries + <usize>i * sizeof<T>()) * <T>load<f32>(r + ((<usize>i) << 2));
    }
    store<f64>(out + ((<usize>t) << 3), <f64>sum);
  }
}
