/**
 * ReLU and its gradient for the `wasm-simd` backend (src/relu.ts), four float32s per step.
 *
 * Which units are negative is close to random, so the JavaScript loops' branch is mispredicted
 * about half the time; here a compare gives a lane mask and nothing branches. The results are
 * the JavaScript loops' exactly, NaN and -0 included:
 *
 * ```
 *   reluInPlace:   z = z < 0 ? 0 : z             (f32x4.pmax(z, 0) is that expression)
 *   reluBackward:  delta = a <= 0 ? 0 : delta    (delta AND NOT (a <= 0))
 * ```
 *
 * Pointers are byte offsets of `count` float32s.
 */
export function reluInPlace(z: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = z + ((<usize>i) << 2);
    v128.store(at, f32x4.pmax(v128.load(at), zero));
  }
  for (; i < count; i++) {
    const at = z + ((<usize>i) << 2);
    if (load<f32>(at) < 0) store<f32>(at, 0);
  }
}

export function reluBackward(a: usize, delta: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const offset = (<usize>i) << 2;
    const dead = f32x4.le(v128.load(a + offset), zero);
    v128.store(delta + offset, v128.andnot(v128.load(delta + offset), dead));
  }
  for (; i < count; i++) {
    const offset = (<usize>i) << 2;
    if (load<f32>(a + offset) <= 0) store<f32>(delta + offset, 0);
  }
}
