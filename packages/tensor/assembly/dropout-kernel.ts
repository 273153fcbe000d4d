/**
 * Inverted dropout's mask for the `wasm-simd` backend (src/dropout-mask.ts), four float32s per
 * step. Which units a mask keeps is random, so the JavaScript loop's branch is mispredicted on
 * a fraction of them; here a compare of the mask bytes gives a lane mask and nothing branches.
 * The results are the JavaScript loop's exactly:
 *
 * ```
 *   value = mask === 1 ? f32(f64(value) * scale) : 0
 * ```
 *
 * The product is taken in float64 and rounded once to float32, as JavaScript does when it
 * stores `value * scale` into a Float32Array; a NaN or an infinity that is dropped becomes 0.
 * `values` is a byte offset of `count` float32s, `mask` of `count` bytes.
 */
export function applyDropoutMask(values: usize, mask: usize, scale: f64, count: i32): void {
  const factor = f64x2.splat(scale);
  const one = i32x4.splat(1);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = values + ((<usize>i) << 2);
    const bytes = v128.load32_zero(mask + <usize>i);
    const kept = i32x4.eq(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)), one);
    const v = v128.load(at);
    const low = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v), factor));
    const high = f32x4.demote_f64x2_zero(
      f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), factor),
    );
    const scaled = v128.shuffle<f32>(low, high, 0, 1, 4, 5);
    v128.store(at, v128.and(scaled, kept));
  }
  for (; i < count; i++) {
    const at = values + ((<usize>i) << 2);
    store<f32>(at, load<u8>(mask + <usize>i) === 1 ? <f32>(<f64>load<f32>(at) * scale) : 0);
  }
}
