import { activeWasmKernels, kernelsHolding } from './backend.js';
import { ShapeError, ValueError } from './errors.js';
import type { WasmKernels } from './wasm/kernels.js';
import { StagingArea, wholeCacheLines } from './wasm/staging-area.js';

/**
 * One step of the Adam update rule (Kingma & Ba, ICLR 2015) over elements [start, end) of
 * float32 parameter, gradient and moment arrays, in place:
 *
 * ```
 *   m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2,
 *   w = w - stepSize m / (sqrt(v) + epsilon)
 * ```
 *
 * The caller folds the bias corrections into `stepSize` and `epsilon` (see the classifiers'
 * optim/adam.ts). The rule is elementwise and each element is computed the same way wherever a
 * range starts, so threads can split a step into ranges and get the numbers of one call.
 *
 * On `'js'`, the arithmetic is float64, each result rounded to float32 when stored (the
 * reference). On `'wasm-simd'`, float32 throughout, four elements per instruction
 * (assembly/adam-kernel.ts), in place when the four arrays live in this thread's kernels memory
 * (a `KernelsArena`'s), else on copies of the ranges there, copied back: still cheaper than the
 * JavaScript loop's square roots and divisions, but three times the in-place step's cost.
 */
export function adamStep(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  start: number,
  end: number,
  beta1: number,
  beta2: number,
  stepSize: number,
  epsilon: number,
): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end) {
    throw new ValueError(`adamStep: need integers 0 <= start <= end, got ${start} and ${end}`);
  }
  for (const [name, array] of [
    ['w', w],
    ['g', g],
    ['m', m],
    ['v', v],
  ] as const) {
    if (!(array instanceof Float32Array) || array.length < end) {
      throw new ShapeError(`adamStep: ${name} must be a Float32Array of at least ${end} elements`);
    }
  }
  if (start === end) return;
  const kernels = kernelsHolding(w, g, m, v) ?? activeWasmKernels();
  if (kernels === undefined) adamStepJs(w, g, m, v, start, end, beta1, beta2, stepSize, epsilon);
  else adamStepWasm(kernels, w, g, m, v, start, end, beta1, beta2, stepSize, epsilon);
}

function adamStepJs(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  start: number,
  end: number,
  beta1: number,
  beta2: number,
  stepSize: number,
  epsilon: number,
): void {
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = start; i < end; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + keep1 * gi;
    const vi = beta2 * v[i] + keep2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (stepSize * mi) / (Math.sqrt(vi) + epsilon);
  }
}

/** Where this thread's Adam steps stage the four arrays. */
const staging = new StagingArea('adamStep');

function adamStepWasm(
  kernels: WasmKernels,
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  start: number,
  end: number,
  beta1: number,
  beta2: number,
  stepSize: number,
  epsilon: number,
): void {
  const count = end - start;
  if (kernels.holds(w, g, m, v)) {
    const skip = start * 4;
    const at = (array: Float32Array) => kernels.offsetOf(array) + skip;
    kernels.exports.adamStep(at(w), at(g), at(m), at(v), count, beta1, beta2, stepSize, epsilon);
    return;
  }
  const block = wholeCacheLines(count * 4);
  const offset = staging.reserve(kernels, 4 * block);
  const [wAt, gAt, mAt, vAt] = [0, 1, 2, 3].map((k) => offset + k * block);
  const memory = kernels.floats();
  memory.set(w.subarray(start, end), wAt / 4);
  memory.set(g.subarray(start, end), gAt / 4);
  memory.set(m.subarray(start, end), mAt / 4);
  memory.set(v.subarray(start, end), vAt / 4);
  kernels.exports.adamStep(wAt, gAt, mAt, vAt, count, beta1, beta2, stepSize, epsilon);
  w.set(memory.subarray(wAt / 4, wAt / 4 + count), start);
  m.set(memory.subarray(mAt / 4, mAt / 4 + count), start);
  v.set(memory.subarray(vAt / 4, vAt / 4 + count), start);
}
