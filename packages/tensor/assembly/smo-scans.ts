/**
 * The two scans of an SMO iteration for the `wasm-simd` backend (src/smo-scans.ts), two
 * float64 lanes per step. The JavaScript loops branch on each element (is it a candidate, does
 * it beat the best so far); here compares give lane masks and selects keep the best of each
 * lane, so only the rare offer to the runners-up list branches. The results are the JavaScript
 * loops' exactly: the same operations on each element in the same order (WebAssembly has no
 * fused multiply-add), each lane keeps the last index of its best (the scalar `>=` / `<=`), and
 * the lanes' bests are merged preferring the later index on ties, which is what one pass in
 * index order keeps (so a zero keeps the sign of the last one). Runners-up are offered in index
 * order, lane 0 before lane 1.
 *
 * Pointers are byte offsets: float64 arrays `g`, `sign`, `diagonal`, `topScores` and `out`,
 * float32 rows, an int32 `topIndices`.
 */

/** Inserts (index, score) into the best-first list if it beats the last place; returns the new last place. */
function offer(topScores: usize, topIndices: usize, size: i32, index: i32, score: f64): f64 {
  let at = size - 1;
  const lastAt = topScores + ((<usize>at) << 3);
  if (!(score > load<f64>(lastAt))) return load<f64>(lastAt);
  while (at > 0) {
    const previous = load<f64>(topScores + ((<usize>(at - 1)) << 3));
    if (!(score > previous)) break;
    store<f64>(topScores + ((<usize>at) << 3), previous);
    store<i32>(topIndices + ((<usize>at) << 2), load<i32>(topIndices + ((<usize>(at - 1)) << 2)));
    at--;
  }
  store<f64>(topScores + ((<usize>at) << 3), score);
  store<i32>(topIndices + ((<usize>at) << 2), index);
  return load<f64>(lastAt);
}

/** Two float32s at `at`, as float64 lanes (exact). */
function load2f32(at: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(at));
}

/**
 * With `update`, g[k] += rowI[k] * deltaI + rowJ[k] * deltaJ first; then for k < n the score
 * sign[k] * g[k] (NaN signs mark non-candidates): out[0] = the last k of the highest score (-1
 * when none), out[1] = that score, and the scores above the runners-up list's last place are
 * offered to it.
 */
export function smoGradientStep(
  g: usize,
  sign: usize,
  update: bool,
  rowI: usize,
  deltaI: f64,
  rowJ: usize,
  deltaJ: f64,
  n: i32,
  topScores: usize,
  topIndices: usize,
  topSize: i32,
  out: usize,
): void {
  const dI = f64x2.splat(deltaI);
  const dJ = f64x2.splat(deltaJ);
  let best = f64x2.splat(-Infinity);
  let bestAt = f64x2.splat(-1);
  let at = f64x2.replace_lane(f64x2.splat(0), 1, 1);
  const two = f64x2.splat(2);
  let last = load<f64>(topScores + ((<usize>(topSize - 1)) << 3));
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const gAt = g + ((<usize>k) << 3);
    let gk = v128.load(gAt);
    if (update) {
      const step = f64x2.add(
        f64x2.mul(load2f32(rowI + ((<usize>k) << 2)), dI),
        f64x2.mul(load2f32(rowJ + ((<usize>k) << 2)), dJ),
      );
      gk = f64x2.add(gk, step);
      v128.store(gAt, gk);
    }
    const score = f64x2.mul(v128.load(sign + ((<usize>k) << 3)), gk);
    const better = f64x2.ge(score, best);
    best = v128.bitselect(score, best, better);
    bestAt = v128.bitselect(at, bestAt, better);
    at = f64x2.add(at, two);
    if (v128.any_true(f64x2.gt(score, f64x2.splat(last)))) {
      const s0 = f64x2.extract_lane(score, 0);
      if (s0 > last) last = offer(topScores, topIndices, topSize, k, s0);
      const s1 = f64x2.extract_lane(score, 1);
      if (s1 > last) last = offer(topScores, topIndices, topSize, k + 1, s1);
    }
  }
  // Lane 1 beats lane 0 when higher, or as high at a later index (one pass keeps the last).
  let bestScore = f64x2.extract_lane(best, 0);
  let bestIndex = f64x2.extract_lane(bestAt, 0);
  const score1 = f64x2.extract_lane(best, 1);
  const index1 = f64x2.extract_lane(bestAt, 1);
  if (score1 > bestScore || (score1 == bestScore && index1 > bestIndex)) {
    bestScore = score1;
    bestIndex = index1;
  }
  if (k < n) {
    const gAt = g + ((<usize>k) << 3);
    let gk = load<f64>(gAt);
    if (update) {
      const a = <f64>load<f32>(rowI + ((<usize>k) << 2));
      const b = <f64>load<f32>(rowJ + ((<usize>k) << 2));
      gk += a * deltaI + b * deltaJ;
      store<f64>(gAt, gk);
    }
    const score = load<f64>(sign + ((<usize>k) << 3)) * gk;
    if (score >= bestScore) {
      bestScore = score;
      bestIndex = <f64>k;
    }
    if (score > last) offer(topScores, topIndices, topSize, k, score);
  }
  store<f64>(out, bestIndex);
  store<f64>(out, bestScore, 8);
}

/**
 * The second scan of WSS 2 (Fan, Chen & Lin 2005) for k < n, where sign[k] = y_k for the
 * candidates of I_low and NaN elsewhere: yG = sign[k] g[k], gMax2 = max yG, and where
 * b = gMax + yG > 0, the curvature a = (qdI + diagonal[k]) - (twoYi sign[k]) rowI[k] (tau
 * when not positive) and the objective's decrease -(b b) / a. out[0] = the last k of the least
 * decrease (-1 when none), out[1] = that decrease, out[2] = gMax2; the negated decreases above
 * the runners-up list's last place are offered to it.
 */
export function smoSecondOrderScan(
  g: usize,
  sign: usize,
  diagonal: usize,
  rowI: usize,
  n: i32,
  gMax: f64,
  qdI: f64,
  twoYi: f64,
  tau: f64,
  topScores: usize,
  topIndices: usize,
  topSize: i32,
  out: usize,
): void {
  const zero = f64x2.splat(0);
  const gMaxV = f64x2.splat(gMax);
  const qdIV = f64x2.splat(qdI);
  const twoYiV = f64x2.splat(twoYi);
  const tauV = f64x2.splat(tau);
  let gMax2 = f64x2.splat(-Infinity);
  let gMax2At = f64x2.splat(-1);
  let best = f64x2.splat(Infinity);
  let bestAt = f64x2.splat(-1);
  let at = f64x2.replace_lane(f64x2.splat(0), 1, 1);
  const two = f64x2.splat(2);
  let last = load<f64>(topScores + ((<usize>(topSize - 1)) << 3));
  let k = 0;
  for (; k + 2 <= n; k += 2) {
    const s = v128.load(sign + ((<usize>k) << 3));
    const yG = f64x2.mul(s, v128.load(g + ((<usize>k) << 3)));
    const higher = f64x2.ge(yG, gMax2);
    gMax2 = v128.bitselect(yG, gMax2, higher);
    gMax2At = v128.bitselect(at, gMax2At, higher);
    const gradDiff = f64x2.add(gMaxV, yG);
    const violates = f64x2.gt(gradDiff, zero);
    if (v128.any_true(violates)) {
      const cross = f64x2.mul(f64x2.mul(twoYiV, s), load2f32(rowI + ((<usize>k) << 2)));
      let curvature = f64x2.sub(f64x2.add(qdIV, v128.load(diagonal + ((<usize>k) << 3))), cross);
      curvature = v128.bitselect(curvature, tauV, f64x2.gt(curvature, zero));
      const decrease = f64x2.div(f64x2.neg(f64x2.mul(gradDiff, gradDiff)), curvature);
      const better = v128.and(violates, f64x2.le(decrease, best));
      best = v128.bitselect(decrease, best, better);
      bestAt = v128.bitselect(at, bestAt, better);
      const gain = f64x2.neg(decrease);
      if (v128.any_true(v128.and(violates, f64x2.gt(gain, f64x2.splat(last))))) {
        const g0 = f64x2.extract_lane(gain, 0);
        if (f64x2.extract_lane(gradDiff, 0) > 0 && g0 > last) {
          last = offer(topScores, topIndices, topSize, k, g0);
        }
        const g1 = f64x2.extract_lane(gain, 1);
        if (f64x2.extract_lane(gradDiff, 1) > 0 && g1 > last) {
          last = offer(topScores, topIndices, topSize, k + 1, g1);
        }
      }
    }
    at = f64x2.add(at, two);
  }
  // Lane 1 beats lane 0 when lower, or as low at a later index (one pass keeps the last).
  let bestDecrease = f64x2.extract_lane(best, 0);
  let bestIndex = f64x2.extract_lane(bestAt, 0);
  const decrease1 = f64x2.extract_lane(best, 1);
  const index1 = f64x2.extract_lane(bestAt, 1);
  if (decrease1 < bestDecrease || (decrease1 == bestDecrease && index1 > bestIndex)) {
    bestDecrease = decrease1;
    bestIndex = index1;
  }
  // The same for gMax2, whose zero keeps the sign of the last one, as in one pass.
  let max2 = f64x2.extract_lane(gMax2, 0);
  const max2Lane1 = f64x2.extract_lane(gMax2, 1);
  const max2At = f64x2.extract_lane(gMax2At, 0);
  const max2Lane1At = f64x2.extract_lane(gMax2At, 1);
  if (max2Lane1 > max2 || (max2Lane1 == max2 && max2Lane1At > max2At)) max2 = max2Lane1;
  if (k < n) {
    const sk = load<f64>(sign + ((<usize>k) << 3));
    const yG = sk * load<f64>(g + ((<usize>k) << 3));
    if (yG >= max2) max2 = yG;
    const gradDiff = gMax + yG;
    if (gradDiff > 0) {
      let curvature = qdI + load<f64>(diagonal + ((<usize>k) << 3)) - twoYi * sk * <f64>load<f32>(rowI + ((<usize>k) << 2)); // prettier-ignore
      if (!(curvature > 0)) curvature = tau;
      const decrease = -(gradDiff * gradDiff) / curvature;
      if (decrease <= bestDecrease) {
        bestDecrease = decrease;
        bestIndex = <f64>k;
      }
      if (-decrease > last) offer(topScores, topIndices, topSize, k, -decrease);
    }
  }
  store<f64>(out, bestIndex);
  store<f64>(out, bestDecrease, 8);
  store<f64>(out, max2, 16);
}
