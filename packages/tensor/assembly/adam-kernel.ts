/**
 * The Adam update of the `wasm-simd` backend (src/adam-step.ts), four parameters per f32x4 step:
 *
 * ```
 *   m = beta1 m + keep1 g           keep1 = 1 - beta1
 *   v = beta2 v + keep2 g^2         keep2 = 1 - beta2
 *   w = w - stepSize m / (sqrt(v) + epsilon)
 * ```
 *
 * Every operation is a correctly rounded float32 one (multiply, add, square root, divide; no
 * fused multiply-add), lane by lane, and the last `count % 4` elements take the same operations
 * one at a time: an element's result does not depend on where a call's range starts, so threads
 * may split the parameters freely. Pointers are byte offsets of `count` float32s each.
 */
export function adamStep(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  count: i32,
  beta1: f32,
  beta2: f32,
  stepSize: f32,
  epsilon: f32,
): void {
  const keep1 = <f32>1 - beta1;
  const keep2 = <f32>1 - beta2;
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const k1 = f32x4.splat(keep1);
  const k2 = f32x4.splat(keep2);
  const step = f32x4.splat(stepSize);
  const eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = (<usize>i) << 2;
    const gi = v128.load(g + at);
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(k1, gi));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(f32x4.mul(k2, gi), gi));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    const update = f32x4.div(f32x4.mul(step, mi), f32x4.add(f32x4.sqrt(vi), eps));
    v128.store(w + at, f32x4.sub(v128.load(w + at), update));
  }
  for (; i < count; i++) {
    const at = (<usize>i) << 2;
    const gi = load<f32>(g + at);
    const mi = beta1 * load<f32>(m + at) + keep1 * gi;
    const vi = beta2 * load<f32>(v + at) + keep2 * gi * gi;
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(w + at, load<f32>(w + at) - (stepSize * mi) / (Mathf.sqrt(vi) + epsilon));
  }
}
