import {
  conv2dFilterGradient,
  conv2dInputGradient,
  conv2dNhwc,
  getBackend,
} from '@typedlearn/tensor';
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
 * On the `wasm-simd` backend, in float32, all three are instead the tensor package's direct
 * kernels, `conv2dNhwc`, `conv2dFilterGradient` and `conv2dInputGradient`, which measure faster
 * than im2col + GEMM there: they never write the k * k copies of each input.
 */
export class Conv2d implements Layer {
  /** The im2col patches, allocated on first use (the direct kernels need none). */
  private patchBuffer: Floats | undefined;

  constructor(
    private readonly geometry: ConvGeometry,
    private readonly block: ParameterBlock,
    private readonly maxRows: number,
    private readonly precision: Precision,
  ) {}

  private get patches(): Floats {
    const { outHeight, outWidth } = this.geometry;
    const size = this.maxRows * outHeight * outWidth * this.block.fanIn;
    this.patchBuffer ??= allocateFloats(this.precision, size);
    return this.patchBuffer;
  }

  forward(params: Floats, input: Floats, output: Floats, rows: number): void {
    const { geometry, block } = this;
    const { fanIn, units } = block;
    const pixels = rows * geometry.outHeight * geometry.outWidth;
    const weights = params.subarray(block.weightOffset);
    const bias = params.subarray(block.biasOffset);
    if (direct(input, weights, bias, output)) {
      conv2dNhwc(geometry, rows, input as Float32Array, weights as Float32Array, bias as Float32Array, output as Float32Array); // prettier-ignore
      return;
    }
    const { patches } = this;
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
    const { geometry, block } = this;
    const { fanIn, units, weightOffset } = block;
    const pixels = rows * geometry.outHeight * geometry.outWidth;
    const weights = params.subarray(weightOffset);
    const weightGradient = gradient.subarray(weightOffset);
    columnSums(outputDelta, pixels, units, gradient.subarray(block.biasOffset));
    if (direct(input, outputDelta, weights, weightGradient)) {
      conv2dFilterGradient(geometry, rows, input as Float32Array, outputDelta as Float32Array, weightGradient as Float32Array); // prettier-ignore
      if (inputDelta !== null) {
        conv2dInputGradient(geometry, rows, outputDelta as Float32Array, weights as Float32Array, inputDelta as Float32Array); // prettier-ignore
      }
      return;
    }
    const { patches } = this; // those of the forward pass
    multiply(true, false, fanIn, units, pixels, patches, fanIn, outputDelta, units, 0, weightGradient, units); // prettier-ignore
    if (inputDelta === null) return;
    multiply(false, true, pixels, fanIn, units, outputDelta, units, weights, units, 0, patches, fanIn); // prettier-ignore
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
