import { columnSums, fillRowsWithBias } from './bias.js';
import type { Layer, ParameterBlock } from './layer.js';
import { multiply, type Floats } from './precision.js';

/**
 * A fully connected layer on rows of fanIn values (an NHWC image is such a row already):
 *
 *   Z = A W + b,   dW = A^T dZ,   db = column sums of dZ,   dA = dZ W^T
 *
 * with W [fanIn, units] row-major, as in the MLP (mlp/network-pass.ts).
 */
export class Dense implements Layer {
  constructor(private readonly block: ParameterBlock) {}

  forward(params: Floats, input: Floats, output: Floats, rows: number): void {
    const { fanIn, units, weightOffset, biasOffset } = this.block;
    fillRowsWithBias(output, rows, units, params.subarray(biasOffset));
    multiply(false, false, rows, units, fanIn, input, fanIn, params.subarray(weightOffset), units, 1, output, units); // prettier-ignore
  }

  backward(
    params: Floats,
    gradient: Floats,
    input: Floats,
    _output: Floats,
    outputDelta: Floats,
    inputDelta: Floats | null,
    rows: number,
  ): void {
    const { fanIn, units, weightOffset, biasOffset } = this.block;
    columnSums(outputDelta, rows, units, gradient.subarray(biasOffset));
    multiply(true, false, fanIn, units, rows, input, fanIn, outputDelta, units, 0, gradient.subarray(weightOffset), units); // prettier-ignore
    if (inputDelta === null) return;
    multiply(false, true, rows, fanIn, units, outputDelta, units, params.subarray(weightOffset), units, 0, inputDelta, fanIn); // prettier-ignore
  }
}
