import { rowBegin, rowEnd, rowValues } from './csr-rows';

/**
 * The float32 sums of the CSR block-dot kernel (csr-block-dots.ts, `single` set): the same dot
 * products of 4 or 8 dense query rows with rows of a CSR matrix, each product and each partial
 * sum rounded to float32, so that one f32x4 operation serves four queries where f64x2 serves two.
 *
 * The queries are interleaved float32 columns, `queries[k * width + r]` = q_r[k] (width 4 or 8;
 * blocks of 2 are padded with zero queries by the caller, and one query runs the scalar loops of
 * csr-block-dots.ts in float32). Each sum still adds one term per
 * non-zero in stored order to its own accumulator, which starts at 0: the `'js'` backend's
 * `Math.fround` loops compute the same bits (an f32 product or sum computed in float64 and then
 * rounded to float32 is the correctly rounded f32 result). Results are stored as float64,
 * `out[r * count + t]`, for the RBF step of csr-block-dots.ts.
 */

/** Where the `width` interleaved query values of non-zero q's column start (4 bytes each). */
function column(queries: usize, columns: usize, q: i32, shift: usize): usize {
  return queries + ((<usize>load<u16>(columns + ((<usize>q) << 1))) << shift);
}

function value(values: usize, q: i32): v128 {
  return v128.load32_splat(values + ((<usize>q) << 2));
}

function mulAdd(sum: v128, c: usize, offset: usize, v: v128): v128 {
  return f32x4.add(sum, f32x4.mul(v128.load(c + offset), v));
}

/** The four lanes of `s` as float64 at `at`, `at + stride`, `at + 2 stride`, `at + 3 stride`. */
function storeQuad(at: usize, stride: usize, s: v128): void {
  store<f64>(at, <f64>f32x4.extract_lane(s, 0));
  store<f64>(at + stride, <f64>f32x4.extract_lane(s, 1));
  store<f64>(at + 2 * stride, <f64>f32x4.extract_lane(s, 2));
  store<f64>(at + 3 * stride, <f64>f32x4.extract_lane(s, 3));
}

/**
 * Sparse rows, 4 or 8 queries (`vectors` = width / 4 f32x4 accumulators per target), two
 * targets interleaved over their first min(nnz) non-zeros, then each tail alone.
 */
export function dotsSingle(
  rowStart: usize,
  columns: usize,
  values: usize,
  queries: usize,
  width: i32,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  const shift: usize = width === 8 ? 5 : 4;
  const wide = width === 8;
  let t = 0;
  for (; t + 2 <= count; t += 2) {
    const qa = rowBegin(rowStart, targets, t);
    const ea = rowEnd(rowStart, targets, t);
    const qb = rowBegin(rowStart, targets, t + 1);
    const eb = rowEnd(rowStart, targets, t + 1);
    const common = min(ea - qa, eb - qb);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    if (wide) {
      for (let i = 0; i < common; i++) {
        const ca = column(queries, columns, qa + i, shift);
        const va = value(values, qa + i);
        const cb = column(queries, columns, qb + i, shift);
        const vb = value(values, qb + i);
        a0 = mulAdd(a0, ca, 0, va);
        b0 = mulAdd(b0, cb, 0, vb);
        a1 = mulAdd(a1, ca, 16, va);
        b1 = mulAdd(b1, cb, 16, vb);
      }
      for (let q = qa + common; q < ea; q++) {
        const c = column(queries, columns, q, shift);
        const v = value(values, q);
        a0 = mulAdd(a0, c, 0, v);
        a1 = mulAdd(a1, c, 16, v);
      }
      for (let q = qb + common; q < eb; q++) {
        const c = column(queries, columns, q, shift);
        const v = value(values, q);
        b0 = mulAdd(b0, c, 0, v);
        b1 = mulAdd(b1, c, 16, v);
      }
    } else {
      for (let i = 0; i < common; i++) {
        a0 = mulAdd(a0, column(queries, columns, qa + i, shift), 0, value(values, qa + i));
        b0 = mulAdd(b0, column(queries, columns, qb + i, shift), 0, value(values, qb + i));
      }
      for (let q = qa + common; q < ea; q++) a0 = mulAdd(a0, column(queries, columns, q, shift), 0, value(values, q)); // prettier-ignore
      for (let q = qb + common; q < eb; q++) b0 = mulAdd(b0, column(queries, columns, q, shift), 0, value(values, q)); // prettier-ignore
    }
    const at = out + ((<usize>t) << 3);
    storeQuad(at, stride, a0);
    storeQuad(at + 8, stride, b0);
    if (wide) {
      storeQuad(at + 4 * stride, stride, a1);
      storeQuad(at + 8 + 4 * stride, stride, b1);
    }
  }
  if (t < count) {
    const end = rowEnd(rowStart, targets, t);
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    for (let q = rowBegin(rowStart, targets, t); q < end; q++) {
      const c = column(queries, columns, q, shift);
      const v = value(values, q);
      s0 = mulAdd(s0, c, 0, v);
      if (wide) s1 = mulAdd(s1, c, 16, v);
    }
    const at = out + ((<usize>t) << 3);
    storeQuad(at, stride, s0);
    if (wide) storeQuad(at + 4 * stride, stride, s1);
  }
}

/**
 * Rows that store every column (`cols` of them, in order), 4 or 8 queries: four targets at a
 * time share each column's query loads.
 */
export function fullSingle(
  rowStart: usize,
  values: usize,
  cols: i32,
  queries: usize,
  width: i32,
  targets: usize,
  count: i32,
  out: usize,
): void {
  const stride = (<usize>count) << 3;
  const shift: usize = width === 8 ? 5 : 4;
  const wide = width === 8;
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    const r0 = rowValues(rowStart, values, targets, t);
    const r1 = rowValues(rowStart, values, targets, t + 1);
    const r2 = rowValues(rowStart, values, targets, t + 2);
    const r3 = rowValues(rowStart, values, targets, t + 3);
    let a0 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let c0 = f32x4.splat(0);
    let d0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let c1 = f32x4.splat(0);
    let d1 = f32x4.splat(0);
    if (wide) {
      for (let i = 0; i < cols; i++) {
        const c = queries + ((<usize>i) << shift);
        const q0 = v128.load(c);
        const q1 = v128.load(c, 16);
        const k = (<usize>i) << 2;
        const v0 = v128.load32_splat(r0 + k);
        const v1 = v128.load32_splat(r1 + k);
        const v2 = v128.load32_splat(r2 + k);
        const v3 = v128.load32_splat(r3 + k);
        a0 = f32x4.add(a0, f32x4.mul(q0, v0));
        b0 = f32x4.add(b0, f32x4.mul(q0, v1));
        c0 = f32x4.add(c0, f32x4.mul(q0, v2));
        d0 = f32x4.add(d0, f32x4.mul(q0, v3));
        a1 = f32x4.add(a1, f32x4.mul(q1, v0));
        b1 = f32x4.add(b1, f32x4.mul(q1, v1));
        c1 = f32x4.add(c1, f32x4.mul(q1, v2));
        d1 = f32x4.add(d1, f32x4.mul(q1, v3));
      }
    } else {
      for (let i = 0; i < cols; i++) {
        const q0 = v128.load(queries + ((<usize>i) << shift));
        const k = (<usize>i) << 2;
        a0 = f32x4.add(a0, f32x4.mul(q0, v128.load32_splat(r0 + k)));
        b0 = f32x4.add(b0, f32x4.mul(q0, v128.load32_splat(r1 + k)));
        c0 = f32x4.add(c0, f32x4.mul(q0, v128.load32_splat(r2 + k)));
        d0 = f32x4.add(d0, f32x4.mul(q0, v128.load32_splat(r3 + k)));
      }
    }
    const o = out + ((<usize>t) << 3);
    storeQuad(o, stride, a0);
    storeQuad(o + 8, stride, b0);
    storeQuad(o + 16, stride, c0);
    storeQuad(o + 24, stride, d0);
    if (wide) {
      storeQuad(o + 4 * stride, stride, a1);
      storeQuad(o + 8 + 4 * stride, stride, b1);
      storeQuad(o + 16 + 4 * stride, stride, c1);
      storeQuad(o + 24 + 4 * stride, stride, d1);
    }
  }
  for (; t < count; t++) {
    const r = rowValues(rowStart, values, targets, t);
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    for (let i = 0; i < cols; i++) {
      const c = queries + ((<usize>i) << shift);
      const v = v128.load32_splat(r + ((<usize>i) << 2));
      s0 = mulAdd(s0, c, 0, v);
      if (wide) s1 = mulAdd(s1, c, 16, v);
    }
    const o = out + ((<usize>t) << 3);
    storeQuad(o, stride, s0);
    if (wide) storeQuad(o + 4 * stride, stride, s1);
  }
}
