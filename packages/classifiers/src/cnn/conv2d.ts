import { conv2dFilterGradient, conv2dNhwc, getBackend } from '@typedlearn/tensor';
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
 * On the `wasm-simd` backend, in float32, the forward pass and dW are instead the tensor
 * package's direct kernels, `conv2dNhwc` and `conv2dFilterGradient`, which measure faster than
 * im2col + GEMM there (they never write the k * k copies of each input); the patches buffer
 * then only holds dY W^T on its way to col2im.
 */
export class Conv2d implements Layer {
  private readonly patches: Floats;

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
    if (direct(input, weights, bias, output)) {
      conv2dNhwc(geometry, rows, input as Float32Array, weights as Float32Array, bias as Float32Array, output as Float32Array); // prettier-ignore
      return;
    }
    im2col(geometry, input, rows, patches);
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
    const weightGradient = gradient.subarray(weightOffset);
    columnSums(outputDelta, pixels, units, gradient.subarray(block.biasOffset));
    if (direct(input, outputDelta, weightGradient, patches)) {
      conv2dFilterGradient(geometry, rows, input as Float32Array, outputDelta as Float32Array, weightGradient as Float32Array); // prettier-ignore
    } else {
      // The patches of the forward pass.
      multiply(true, false, fanIn, units, pixels, patches, fanIn, outputDelta, units, 0, weightGradient, units); // prettier-ignore
    }
    if (inputDelta === null) return;
    multiply(false, true, pixels, fanIn, units, outputDelta, units, params.subarray(weightOffset), units, 0, patches, fanIn); // prettier-ignore
    col2im(geometry, patches, rows, inputDelta);
  }
}

/**
 * True when the direct kernels of the tensor package run this layer: float32 arrays on the
 * `wasm-simd` backend. Otherwise im2col and GEMM do, in either precision.
 */
function direct(...arrays: Floats[]): boolean {
  return getBackend() === 'wasm-simd' && arrays.every((array) => array instanceof Float32Array);
}
