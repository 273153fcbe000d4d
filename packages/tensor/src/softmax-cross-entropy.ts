import { activeWasmKernels } from './backend.js';
import type { WasmKernels } from './wasm/kernels.js';
import { StagingArea, wholeCacheLines } from './wasm/staging-area.js';

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
 *
 * On `'wasm-simd'`, float64 logits and gradient go through a kernel (assembly/softmax-cross-
 * entropy.ts) whose exps are vectorised, two at a time, within a few ulp of `Math.exp`: the
 * loop below (the reference, and the path of float32 rows) spends half its time in Math.exp.
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
  const kernels = logits instanceof Float64Array && gradient instanceof Float64Array ? activeWasmKernels() : undefined; // prettier-ignore
  // Rows that would have to be staged in more than MAX_STAGED_BYTES stay in JavaScript.
  const inPlace = kernels?.holds(logits, gradient) === true;
  const staged = inPlace ? 0 : rows * classes * 8;
  if (kernels !== undefined && rows > 0 && staged <= MAX_STAGED_BYTES) {
    return softmaxCrossEntropyWasm(kernels, logits as Float64Array, labels, rows, classes, scale, gradient as Float64Array, weights); // prettier-ignore
  }
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

/** The most bytes of rows the kernel stages (copies into the kernels memory) per call. */
const MAX_STAGED_BYTES = 64 * 2 ** 20;

/** Where this thread's cross-entropies stage their rows. */
const staging = new StagingArea('softmaxCrossEntropy');

function softmaxCrossEntropyWasm(
  kernels: WasmKernels,
  logits: Float64Array,
  labels: Int32Array,
  rows: number,
  classes: number,
  scale: number,
  gradient: Float64Array,
  weights: Float64Array | null,
): number {
  const size = rows * classes;
  // Logits and gradient in the kernels memory (a KernelsArena's) are used in place.
  const inPlace = kernels.holds(logits, gradient);
  const valueBytes = inPlace ? 0 : wholeCacheLines(size * 8);
  const labelBytes = wholeCacheLines(rows * 4);
  const weightBytes = weights === null ? 0 : wholeCacheLines(rows * 8);
  const at = staging.reserve(kernels, valueBytes + labelBytes + weightBytes + rows * 16);
  const doubles = new Float64Array(kernels.memory.buffer);
  if (!inPlace) doubles.set(logits.subarray(0, size), at / 8);
  const labelsAt = at + valueBytes;
  kernels.int32s().set(labels.subarray(0, rows), labelsAt / 4);
  const weightsAt = labelsAt + labelBytes;
  if (weights !== null) doubles.set(weights.subarray(0, rows), weightsAt / 8);
  const statsAt = weightsAt + weightBytes;
  const [logitsAt, gradientAt] = inPlace ? [kernels.offsetOf(logits), kernels.offsetOf(gradient)] : [at, at]; // prettier-ignore
  kernels.exports.softmaxCrossEntropy64(logitsAt, labelsAt, rows, classes, scale, gradientAt, weightsAt, weights === null ? 0 : 1, statsAt); // prettier-ignore
  if (!inPlace) gradient.set(doubles.subarray(at / 8, at / 8 + size));
  // loss_i = w_i (max_i - z_i,label + log(sum_i)), from the kernel's per-row stats.
  let loss = 0;
  for (let i = 0, s = statsAt / 8; i < rows; i++, s += 2) {
    const weight = weights === null ? 1 : weights[i];
    loss += weight * (doubles[s] + Math.log(doubles[s + 1]));
  }
  return loss;
}
