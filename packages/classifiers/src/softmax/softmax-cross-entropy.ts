/**
 * Softmax followed by cross-entropy, fused: for each row i of logits z (`classes` wide) with
 * true class y_i,
 *
 *   loss_i = -log softmax(z_i)[y_i] = logsumexp(z_i) - z_i[y_i]
 *   d loss_i / d z_i = softmax(z_i) - onehot(y_i)
 *
 * Computing both from logsumexp (with the row maximum subtracted) never takes the log of a
 * rounded-to-zero probability, and the gradient needs no division by a probability, which is
 * why frameworks fuse the two.
 *
 * Returns the summed loss over `rows` rows and writes `scale * (softmax(z_i) - onehot(y_i))`
 * into `gradient` (which may be `logits` itself). Row i's class is `labels[i]`.
 *
 * With `weights` (row i weighing `weights[i]`), the loss is the weighted sum
 * sum_i w_i loss_i and row i's gradient is scaled by `scale * w_i`. A weight of 1 gives
 * exactly the unweighted numbers.
 */
export function softmaxCrossEntropy(
  logits: Float64Array | Float32Array,
  labels: Int32Array,
  rows: number,
  classes: number,
  scale: number,
  gradient: Float64Array | Float32Array,
  weights: Float64Array | null = null,
): number {
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const start = i * classes;
    const end = start + classes;
    const truth = start + labels[i];
    const trueLogit = logits[truth]; // read before `gradient`, which may be `logits`, is written
    let max = -Infinity;
    for (let k = start; k < end; k++) if (logits[k] > max) max = logits[k];
    // exp(z_k - max), kept in the gradient's place: one exp per logit.
    let total = 0;
    for (let k = start; k < end; k++) {
      const e = Math.exp(logits[k] - max);
      gradient[k] = e;
      total += e;
    }
    const weight = weights === null ? 1 : weights[i];
    const rowScale = scale * weight;
    loss += weight * (max + Math.log(total) - trueLogit);
    const factor = rowScale / total;
    for (let k = start; k < end; k++) gradient[k] *= factor;
    gradient[truth] -= rowScale;
  }
  return loss;
}
