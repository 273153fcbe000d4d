import type { Rng } from '@typedlearn/tensor';

/**
 * Inverted dropout (Srivastava et al., "Dropout: a simple way to prevent neural networks from
 * overfitting", JMLR 2014): during training each hidden activation is kept with probability
 * `keep` and divided by it, or set to 0; at prediction time nothing changes, since the
 * expected activation is already right. One batch's masks are drawn before its forward pass
 * and reused by its backward pass, which apply it with `applyDropoutMask` (@typedlearn/tensor).
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
    rng.bernoulli(masks[l], keep, 0, count * hiddenSizes[l]);
  }
}
