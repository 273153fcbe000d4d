import { kernelsHolding } from './backend.js';

/**
 * ReLU over z[start..end), in place: z = z < 0 ? 0 : z (max(z, 0), keeping NaN and -0).
 *
 * On `'wasm-simd'`, when z lives in this thread's kernels memory (a `KernelsArena`'s), a SIMD
 * kernel computes it (assembly/relu-kernels.ts) without the JavaScript loop's branch, which is
 * mispredicted about half the time on a layer's units; elsewhere, the loop (the reference).
 */
export function reluInPlace(z: Float32Array, start: number, end: number): void {
  const kernels = kernelsHolding(z);
  if (kernels !== undefined) {
    kernels.exports.reluInPlace(kernels.offsetOf(z) + start * 4, end - start);
    return;
  }
  for (let i = start; i < end; i++) if (z[i] < 0) z[i] = 0;
}

/**
 * ReLU's backward pass over [start..end): delta = a <= 0 ? 0 : delta, where a is the layer's
 * output (relu'(z) = [z > 0] = [a > 0]). In place, on the same terms as {@link reluInPlace}.
 */
export function reluBackward(
  a: Float32Array,
  delta: Float32Array,
  start: number,
  end: number,
): void {
  const kernels = kernelsHolding(a, delta);
  if (kernels !== undefined) {
    const skip = start * 4;
    kernels.exports.reluBackward(kernels.offsetOf(a) + skip, kernels.offsetOf(delta) + skip, end - start); // prettier-ignore
    return;
  }
  for (let i = start; i < end; i++) if (a[i] <= 0) delta[i] = 0;
}
