import { expV } from './exp';

/**
 * The fused softmax cross-entropy of the `wasm-simd` backend (src/softmax-cross-entropy.ts) on
 * float64 logits, rows of `classes` values: per row i with class labels[i] and weight w_i (1
 * without weights),
 *
 * ```
 *   loss_i = w_i (max_i + log(sum_k exp(z_ik - max_i)) - z_i,label)
 *   gradient_i = scale w_i (exp(z_i - max_i) / sum) - scale w_i onehot(label)
 * ```
 *
 * the exps two at a time by {@link expV} (a few ulp from Math.exp), each row's sum in class
 * order. The loss is left to the caller, who has a log: row i's `max_i - z_i,label` and sum are
 * written to `stats[2i]` and `stats[2i + 1]` (a log here would bring the module lookup tables
 * in its memory, which the TypeScript side hands out whole). `gradient` may be `logits`.
 * Pointers are byte offsets: logits and gradient float64 (rows * classes), labels int32,
 * weights float64 (when `weighted`), stats float64 (2 * rows).
 */
export function softmaxCrossEntropy64(
  logits: usize,
  labels: usize,
  rows: i32,
  classes: i32,
  scale: f64,
  gradient: usize,
  weights: usize,
  weighted: bool,
  stats: usize,
): void {
  const rowBytes = (<usize>classes) << 3;
  const pairs = classes & ~1;
  for (let i = 0; i < rows; i++) {
    const z = logits + <usize>i * rowBytes;
    const g = gradient + <usize>i * rowBytes;
    const label = <usize>load<i32>(labels + ((<usize>i) << 2));
    const trueLogit = load<f64>(z + (label << 3)); // before g, which may be z, is written
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      const value = load<f64>(z + ((<usize>k) << 3));
      if (value > max) max = value;
    }
    const shift = f64x2.splat(max);
    let total: f64 = 0;
    let k = 0;
    for (; k < pairs; k += 2) {
      const at = (<usize>k) << 3;
      const e = expV(f64x2.sub(v128.load(z + at), shift));
      v128.store(g + at, e);
      total += f64x2.extract_lane(e, 0);
      total += f64x2.extract_lane(e, 1);
    }
    if (k < classes) {
      const at = (<usize>k) << 3;
      const e = f64x2.extract_lane(expV(f64x2.splat(load<f64>(z + at) - max)), 0);
      store<f64>(g + at, e);
      total += e;
    }
    const weight: f64 = weighted ? load<f64>(weights + ((<usize>i) << 3)) : 1;
    const rowScale = scale * weight;
    store<f64>(stats + ((<usize>i) << 4), max - trueLogit);
    store<f64>(stats + ((<usize>i) << 4), total, 8);
    const factor = f64x2.splat(rowScale / total);
    for (k = 0; k < pairs; k += 2) {
      const at = (<usize>k) << 3;
      v128.store(g + at, f64x2.mul(v128.load(g + at), factor));
    }
    if (k < classes) {
      const at = (<usize>k) << 3;
      store<f64>(g + at, load<f64>(g + at) * (rowScale / total));
    }
    const truth = g + (label << 3);
    store<f64>(truth, load<f64>(truth) - rowScale);
  }
}
