import { activeWasmKernels } from './backend.js';

/**
 * ReLU over z[start..end), in place: z = z < 0 ? 0 : z (max(z, 0), keeping NaN and -0).
 *
 * On `'wasm-simd'`, when z lives in this thread's kernels memory (a `KernelsArena`'s), a SIMD
 * kernel computes it (assembly/relu-kernels.ts) without the JavaScript loop's branch, which is
 * mispredicted about half the time on a layer's units; elsewhere, the loop (the reference).
 */
export function reluInPlace(z: Float32Array, start: number, end: number): void {
  const kernels = activeWasmKernels();
  const at = kernels === undefined ? -1 : kernels.offsetOf(z);
  if (kernels !== undefined && at >= 0) {
    kernels.exports.reluInPlace(at + start * 4, end - start);
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
  const kernels = activeWasmKernels();
  const aAt = kernels === undefined ? -1 : kernels.offsetOf(a);
  const deltaAt = kernels === undefined ? -1 : kernels.offsetOf(delta);
  if (kernels !== undefined && aAt >= 0 && deltaAt >= 0) {
    kernels.exports.reluBackward(aAt + start * 4, deltaAt + start * 4, end - start);
    return;
  }
  for (let i = start; i < end; i++) if (a[i] <= 0) delta[i] = 0;
}
