import type { Rng } from '@typedlearn/tensor';

/**
 * Inverted dropout (Srivastava et al., "Dropout: a simple way to prevent neural networks from
 * overfitting", JMLR 2014): during training each hidden activation is kept with probability
 * `keep` and divided by it, or set to 0; at prediction time nothing changes, since the
 * expected activation is already right. One batch's masks are drawn before its forward pass
 * and reused by its backward pass.
 */

/** Draws fresh masks (1 keep, 0 drop) for the first `count` rows of each hidden layer. */
export function sampleMasks(
  masks: readonly Uint8Array[],
  hiddenSizes: readonly number[],
  count: number,
  keep: number,
  rng: Rng,
): void {
  for (let l = 0; l < masks.length; l++) {
    const mask = masks[l];
    const n = count * hiddenSizes[l];
    for (let i = 0; i < n; i++) mask[i] = rng.uniform() < keep ? 1 : 0;
  }
}

/** values[i] = mask[i] ? values[i] / keep : 0 for i in [start, end). */
export function applyMask(
  mask: Uint8Array,
  keep: number,
  values: Float32Array,
  start: number,
  end: number,
): void {
  const scale = 1 / keep;
  for (let i = start; i < end; i++) values[i] = mask[i] === 1 ? values[i] * scale : 0;
}
