import { kernelsHolding } from './backend.js';

/**
 * Inverted dropout's mask over values[start..end), in place: values = mask === 1 ? values /
 * keep : 0, the division taken as a product with 1 / keep (Srivastava et al., "Dropout: a
 * simple way to prevent neural networks from overfitting", JMLR 2014). `mask` holds 1 for a
 * kept unit and 0 for a dropped one, at the same indices as `values`.
 *
 * On `'wasm-simd'`, when both arrays live in this thread's kernels memory (a `KernelsArena`'s),
 * a SIMD kernel computes it (assembly/dropout-kernel.ts) without the JavaScript loop's branch,
 * which is mispredicted on a fraction of the units; elsewhere, the loop (the reference). Both
 * give the same bits, NaN and infinities included.
 */
export function applyDropoutMask(
  values: Float32Array,
  mask: Uint8Array,
  keep: number,
  start: number,
  end: number,
): void {
  const scale = 1 / keep;
  const kernels = kernelsHolding(values, mask);
  if (kernels !== undefined) {
    kernels.exports.applyDropoutMask(kernels.offsetOf(values) + start * 4, kernels.offsetOf(mask) + start, scale, end - start); // prettier-ignore
    return;
  }
  for (let i = start; i < end; i++) values[i] = mask[i] === 1 ? values[i] * scale : 0;
}
