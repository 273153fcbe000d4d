// exp of two float64 lanes at once, for the kernels that need many exps (the SVM's RBF kernel
// values, the softmax cross-entropy).

/** Below this, exp(x) is under the smallest normal double (2^-1022): the result is 0. */
const EXP_MIN: f64 = -708;
const LOG2E: f64 = 1.4426950408889634;
/** ln 2 in two parts (fdlibm's): n * LN2_HI is exact for |n| < 2^20. */
const LN2_HI: f64 = 6.9314718036912381649e-1;
const LN2_LO: f64 = 1.90821492927058770002e-10;

/**
 * exp of each lane of x <= 0 (NaN-free), a few ulp from the true value: x = n ln 2 + r with
 * n = round(x / ln 2) and |r| <= ln(2) / 2 (Cody and Waite: r = x - n LN2_HI - n LN2_LO), exp(r)
 * by its Taylor series to r^13 in Horner form (truncation below 5e-18), times 2^n built in the
 * exponent bits. Lanes below {@link EXP_MIN} give 0 (true value under 3.3e-308).
 */
export function expV(x: v128): v128 {
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  const r = f64x2.sub(
    f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))),
    f64x2.mul(n, f64x2.splat(LN2_LO)),
  );
  let p = f64x2.splat(1.0 / 6227020800.0); // 1/13!
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^n: n + 1023 in the exponent field (n >= -1022 for the lanes kept).
  const exponent = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  const scale = i64x2.shl(i64x2.add(exponent, i64x2.splat(1023)), 52);
  const result = f64x2.mul(p, scale);
  return v128.andnot(result, f64x2.lt(x, f64x2.splat(EXP_MIN)));
}
