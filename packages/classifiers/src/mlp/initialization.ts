import type { Rng } from '@typedlearn/tensor';
import type { Activation } from './activation.js';

/**
 * Fills a fanIn x fanOut weight matrix with random values whose scale keeps the variance of
 * activations (and of gradients) roughly constant from layer to layer:
 * - ReLU layers: He et al., "Delving deep into rectifiers", ICCV 2015: N(0, 2 / fanIn);
 * - tanh layers and the output layer: Glorot & Bengio, "Understanding the difficulty of
 *   training deep feedforward neural networks", AISTATS 2010, eq. 16:
 *   U(-r, r) with r = sqrt(6 / (fanIn + fanOut)).
 */
export function initializeWeights(
  weights: Float32Array,
  fanIn: number,
  fanOut: number,
  scheme: Activation | 'output',
  rng: Rng,
): void {
  if (scheme === 'relu') {
    const std = Math.sqrt(2 / fanIn);
    for (let i = 0; i < fanIn * fanOut; i++) weights[i] = rng.normal(0, std);
  } else {
    const range = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < fanIn * fanOut; i++) weights[i] = (2 * rng.uniform() - 1) * range;
  }
}
