// exp of two float64 lanes at once, for the kernels that need many exps (the SVM's RBF kernel
// values, the softmax cross-entropy).

/** Below this, exp(x) is under the smallest normal double (2^-1022): the result is 0. */
const EXP_MIN: f64 = -708;
const LOG2E: f64 = 1.4426950408889634;
/**
 * 1.5 * 2^52: adding it to |y| < 2^51 rounds y to the nearest integer n (ties to even), which
 * then sits in the low mantissa bits, so 2^n is one shift away.
 */
const SHIFTER: f64 = 6755399441055744.0;
/** ln 2 in two parts (fdlibm's): n * LN2_HI is exact for |n| < 2^20. */
const LN2_HI: f64 = 6.9314718036912381649e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

/**
 * exp of each lane of x <= 0 (NaN-free), a few ulp from the true value: x = n ln 2 + r with
 * n = round(x / ln 2) and |r| <= ln(2) / 2 (Cody and Waite: r = x - n LN2_HI - n LN2_LO), exp(r)
 * by its Taylor series to r^13 (truncation below 5e-18), times 2^n built in the exponent bits.
 * Lanes below {@link EXP_MIN} give 0 (true value under 3.3e-308).
 */
export function expV(x: v128): v128 {
  const shifted = f64x2.add(f64x2.mul(x, f64x2.splat(LOG2E)), f64x2.splat(SHIFTER));
  const n = f64x2.sub(shifted, f64x2.splat(SHIFTER));
  const r = f64x2.sub(
    f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))),
    f64x2.mul(n, f64x2.splat(LN2_LO)),
  );
  // exp(r) = 1 + (r + r^2 E(r)), E(r) = sum of r^(k-2) / k! for k = 2..13, by Estrin's scheme
  // (pairs of terms, then pairs of pairs): a dependency chain of 7 multiply-adds, not 13.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const e0 = term(0.5, 1.0 / 6.0, r);
  const e1 = term(1.0 / 24.0, 1.0 / 120.0, r);
  const e2 = term(1.0 / 720.0, 1.0 / 5040.0, r);
  const e3 = term(1.0 / 40320.0, 1.0 / 362880.0, r);
  const e4 = term(1.0 / 3628800.0, 1.0 / 39916800.0, r);
  const e5 = term(1.0 / 479001600.0, 1.0 / 6227020800.0, r);
  const f0 = f64x2.add(e0, f64x2.mul(e1, r2));
  const f1 = f64x2.add(e2, f64x2.mul(e3, r2));
  const f2 = f64x2.add(e4, f64x2.mul(e5, r2));
  const e = f64x2.add(f64x2.add(f0, f64x2.mul(f1, r4)), f64x2.mul(f2, r8));
  const p = f64x2.add(f64x2.splat(1.0), f64x2.add(r, f64x2.mul(r2, e)));
  // 2^n: n + 1023 in the exponent field (n >= -1022 for the lanes kept). `shifted`'s bits end
  // in those of 2^51 + n; shifted left by 52, only n's remain, in the exponent field.
  const scale = i64x2.add(i64x2.shl(shifted, 52), i64x2.splat(1023 << 52));
  const result = f64x2.mul(p, scale);
  return v128.andnot(result, f64x2.lt(x, f64x2.splat(EXP_MIN)));
}

/** a + b r in each lane. */
function term(a: f64, b: f64, r: v128): v128 {
  return f64x2.add(f64x2.splat(a), f64x2.mul(r, f64x2.splat(b)));
}

/** Below this, exp(x) in float32 would need a scale under 2^-126: the result is 0. */
const EXP_MIN_F32: f32 = -87;
const LOG2E_F32: f32 = 1.44269504;
/** 1.5 * 2^23, the float32 shifter: rounds |y| < 2^22 to an integer in the low mantissa bits. */
const SHIFTER_F32: f32 = 12582912.0;
/** ln 2 in two float32 parts (Cephes' expf): n * LN2_HI_F32 is exact for |n| < 2^9. */
const LN2_HI_F32: f32 = 0.693359375;
const LN2_LO_F32: f32 = -2.1219444e-4;

/**
 * exp of four float32 lanes x <= 0 (NaN-free), within about 2 ulp of float32: the same
 * reduction as {@link expV} in float32, then exp(r) = 1 + r + r^2 P(r) with Cephes' expf
 * minimax polynomial P of degree 5 (relative error about 1e-7 for |r| <= ln(2) / 2). Lanes below
 * -87 give 0 (true value under 1.7e-38).
 */
export function expV32(x: v128): v128 {
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E_F32)), f32x4.splat(SHIFTER_F32));
  const n = f32x4.sub(shifted, f32x4.splat(SHIFTER_F32));
  const r = f32x4.sub(
    f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI_F32))),
    f32x4.mul(n, f32x4.splat(LN2_LO_F32)),
  );
  const r2 = f32x4.mul(r, r);
  // P(r) by Estrin's scheme: (p0 + p1 r) + (p2 + p3 r) r^2 + (p4 + p5 r) r^4.
  const a = term32(5.0000001201e-1, 1.6666665459e-1, r);
  const b = term32(4.1665795894e-2, 8.3334519073e-3, r);
  const c = term32(1.3981999507e-3, 1.98756915e-4, r);
  const p = f32x4.add(f32x4.add(a, f32x4.mul(b, r2)), f32x4.mul(c, f32x4.mul(r2, r2)));
  const e = f32x4.add(f32x4.splat(1.0), f32x4.add(r, f32x4.mul(r2, p)));
  // 2^n: `shifted`'s mantissa ends in n's bits; shifted left by 23, only they remain.
  const scale = i32x4.add(i32x4.shl(shifted, 23), i32x4.splat(127 << 23));
  return v128.andnot(f32x4.mul(e, scale), f32x4.lt(x, f32x4.splat(EXP_MIN_F32)));
}

/** a + b r in each float32 lane. */
function term32(a: f32, b: f32, r: v128): v128 {
  return f32x4.add(f32x4.splat(a), f32x4.mul(r, f32x4.splat(b)));
}
