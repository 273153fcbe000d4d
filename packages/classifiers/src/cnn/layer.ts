import type { Rng } from '@typedlearn/tensor';
import type { Floats } from './precision.js';

/**
 * Where a layer's parameters live in the network's parameter vector: the weights, row-major
 * [fanIn, units] (a convolution's fanIn runs over its kernel's rows, columns and input
 * channels, in that order), then `units` biases.
 */
export interface ParameterBlock {
  weightOffset: number;
  fanIn: number;
  units: number;
  biasOffset: number;
}

/**
 * One layer of a {@link ConvNet}, working on a chunk of `rows` images at a time. Activations
 * are row-major with one row per image (NHWC within the row); a layer's weights and biases are
 * views of the network's single parameter vector, and its gradient lands in the same place of
 * a gradient vector of the same layout. A layer owns the scratch its backward pass needs (im2col
 * patches, argmax indices, dropout masks), allocated once for the most rows it will see.
 */
export interface Layer {
  /**
   * output = f(input) for the first `rows` rows. `training` is the random source of dropout
   * masks while training, null when predicting (dropout then passes its input on).
   */
  forward(params: Floats, input: Floats, output: Floats, rows: number, training: Rng | null): void;
  /**
   * After `forward` on the same rows: given d loss / d output (`outputDelta`), writes the
   * gradient of the layer's parameters into `gradient` (overwriting it) and, unless
   * `inputDelta` is null (nothing below needs it), d loss / d input into `inputDelta`.
   */
  backward(
    params: Floats,
    gradient: Floats,
    input: Floats,
    output: Floats,
    outputDelta: Floats,
    inputDelta: Floats | null,
    rows: number,
  ): void;
}
