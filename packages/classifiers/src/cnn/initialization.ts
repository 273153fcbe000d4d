import type { Rng } from '@typedlearn/tensor';
import { initializeWeights } from '../mlp/initialization.js';
import type { ConvNetLayout } from './network-layout.js';

/**
 * Fills `params` (zeros) with starting weights, layer by layer from one stream of `rng`: He
 * initialisation, N(0, 2 / fanIn), for the convolutions and hidden dense layers, whose fanIn
 * for a convolution is kernel * kernel * input channels (He et al., "Delving deep into
 * rectifiers", ICCV 2015, eq. 10, derived for exactly this case); Glorot's uniform range for
 * the output layer, as in the MLP (mlp/initialization.ts). Biases stay 0.
 */
export function initializeParameters(layout: ConvNetLayout, params: Float32Array, rng: Rng): void {
  const last = layout.layers.length - 1;
  layout.layers.forEach(({ parameters: block }, i) => {
    if (block === null) return;
    const { weightOffset, fanIn, units } = block;
    const weights = params.subarray(weightOffset, weightOffset + fanIn * units);
    initializeWeights(weights, fanIn, units, i === last ? 'output' : 'relu', rng);
  });
}
