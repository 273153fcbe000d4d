import { conv2dNhwc, getBackend } from '@typedlearn/tensor';
import type { ConvGeometry } from './conv-geometry.js';
import { columnSums, fillRowsWithBias } from './bias.js';
import { col2im, im2col } from './im2col.js';
import type { Layer, ParameterBlock } from './layer.js';
import { allocateFloats, multiply, type Floats, type Precision } from './precision.js';

/**
 * A 2-D convolution (cross-correlation, as every framework computes it) on NHWC images, by
 * im2col and GEMM. With P = im2col(X), [rows * outHeight * outWidth, k * k * channels], and the
 * kernels stored as W [k * k * channels, filters] (HWIO), the output is one product
 *
 *   Y = P W + b                     (NHWC already: a row of Y is one output pixel's filters)
 *
 * and backpropagation is two more products and the adjoint of im2col:
 *
 *   dW = P^T dY,   db = column sums of dY,   dX = col2im(dY W^T).
 *
 * The patches of the forward pass are kept for dW; dY W^T then overwrites them.
 *
 * On the `wasm-simd` backend the forward pass in float32 is instead the tensor package's direct
 * convolution, `conv2dNhwc`, which measures faster than im2col + GEMM there (it never writes the
 * k * k copies of each input); the backward pass then makes the patches itself.
 */
export class Conv2d implements Layer {
  private readonly patches: Floats;
  /** True when `patches` hold the im2col of the last forward pass's input. */
  private patchesCurrent = false;

  constructor(
    private readonly geometry: ConvGeometry,
    private readonly block: ParameterBlock,
    maxRows: number,
    precision: Precision,
  ) {
    const { outHeight, outWidth } = geometry;
    this.patches = allocateFloats(precision, maxRows * outHeight * outWidth * block.fanIn);
  }

  forward(params: Floats, input: Floats, output: Floats, rows: number): void {
    const { geometry, block, patches } = this;
    const { fanIn, units } = block;
    const pixels = rows * geometry.outHeight * geometry.outWidth;
    const weights = params.subarray(block.weightOffset);
    const bias = params.subarray(block.biasOffset);
    if (
      getBackend() === 'wasm-simd' &&
      input instanceof Float32Array &&
      weights instanceof Float32Array &&
      bias instanceof Float32Array &&
      output instanceof Float32Array
    ) {
      conv2dNhwc(geometry, rows, input, weights, bias, output);
      this.patchesCurrent = false;
      return;
    }
    im2col(geometry, input, rows, patches);
    this.patchesCurrent = true;
    fillRowsWithBias(output, pixels, units, bias);
    multiply(false, false, pixels, units, fanIn, patches, fanIn, weights, units, 1, output, units); // prettier-ignore
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
    const { geometry, block, patches } = this;
    const { fanIn, units, weightOffset } = block;
    const pixels = rows * geometry.outHeight * geometry.outWidth;
    if (!this.patchesCurrent) im2col(geometry, input, rows, patches);
    this.patchesCurrent = false; // dY W^T overwrites them below
    columnSums(outputDelta, pixels, units, gradient.subarray(block.biasOffset));
    multiply(true, false, fanIn, units, pixels, patches, fanIn, outputDelta, units, 0, gradient.subarray(weightOffset), units); // prettier-ignore
    if (inputDelta === null) return;
    multiply(false, true, pixels, fanIn, units, outputDelta, units, params.subarray(weightOffset), units, 0, patches, fanIn); // prettier-ignore
    col2im(geometry, patches, rows, inputDelta);
  }
}
