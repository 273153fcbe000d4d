import { softmaxCrossEntropy } from '@typedlearn/tensor';
import type { Rng } from '@typedlearn/tensor';
import { AvgPool } from './avg-pool.js';
import { Conv2d } from './conv2d.js';
import { Dense } from './dense.js';
import { DropoutLayer } from './dropout-layer.js';
import type { Layer } from './layer.js';
import { MaxPool } from './max-pool.js';
import type { ConvNetLayout, PlacedLayer } from './network-layout.js';
import { allocateFloats, type Floats, type Precision } from './precision.js';
import { Relu } from './relu.js';

/**
 * A network of a {@link ConvNetLayout} with the buffers to run up to `maxRows` images at a time
 * forward and backward: each layer's output, and d loss / d that output. The parameters and
 * their gradient are passed in, so one network can serve any parameter vector (a thread's
 * network works on the fit's shared parameters; the gradient goes to its chunk's slot).
 *
 * A flatten layer is only a change of shape: its output and delta are the very buffers of its
 * input. The logits' buffer receives d loss / d logits from {@link ConvNet.crossEntropy}.
 */
export class ConvNet {
  /** The images to run, [maxRows, height * width * channels]; the caller fills the first rows. */
  readonly input: Floats;
  /** Each layer, null for flatten. */
  private readonly layers: readonly (Layer | null)[];
  /** activations[0] is the input, activations[i + 1] the output of layer i. */
  private readonly activations: readonly Floats[];
  /** d loss / d activations[i]; null for the input, which needs none. */
  private readonly deltas: readonly (Floats | null)[];

  constructor(
    readonly layout: ConvNetLayout,
    readonly maxRows: number,
    precision: Precision,
  ) {
    this.input = allocateFloats(precision, maxRows * layout.features);
    const activations: Floats[] = [this.input];
    const deltas: (Floats | null)[] = [null];
    const last = layout.layers.length - 1;
    layout.layers.forEach((placed, i) => {
      if (placed.type === 'flatten') {
        activations.push(activations[i]);
        deltas.push(deltas[i]);
        return;
      }
      const output = allocateFloats(precision, maxRows * layout.outputSize(i));
      activations.push(output);
      deltas.push(i === last ? output : allocateFloats(precision, output.length));
    });
    this.layers = layout.layers.map((placed) => createLayer(placed, maxRows, precision));
    this.activations = activations;
    this.deltas = deltas;
  }

  /** The logits [rows, classes] of the last forward pass; d loss / d logits after `crossEntropy`. */
  get logits(): Floats {
    return this.activations[this.activations.length - 1];
  }

  /**
   * Runs the first `rows` images of `input` through every layer. `training` draws the dropout
   * masks; null predicts (no dropout).
   */
  forward(params: Floats, rows: number, training: Rng | null): void {
    const { layers, activations } = this;
    for (let i = 0; i < layers.length; i++) {
      layers[i]?.forward(params, activations[i], activations[i + 1], rows, training);
    }
  }

  /**
   * After `forward`: the softmax cross-entropy of the first `rows` logits against `labels`,
   * summed (weighted by `weights` when given), and d loss / d logits in the logits' buffer,
   * with the rows' gradients scaled by `scale` (times their weights) — see
   * `softmaxCrossEntropy`. `scale` = 1 / (the batch's rows, or its total weight) makes this
   * chunk's gradient its share of the gradient of the batch's mean loss.
   */
  crossEntropy(
    labels: Int32Array,
    rows: number,
    scale: number,
    weights: Float64Array | null,
  ): number {
    const { logits } = this;
    const { classes } = this.layout;
    return softmaxCrossEntropy(logits, labels, rows, classes, scale, logits, weights);
  }

  /**
   * Backpropagation (the chain rule from the logits down, layer by layer) of the rows of the
   * last forward pass, after `crossEntropy`: every parameter's gradient is written into
   * `gradient` (the layout of the parameters).
   */
  backward(params: Floats, gradient: Floats, rows: number): void {
    const { layers, activations, deltas } = this;
    for (let i = layers.length - 1; i >= 0; i--) {
      layers[i]?.backward(
        params,
        gradient,
        activations[i],
        activations[i + 1],
        deltas[i + 1] as Floats,
        deltas[i],
        rows,
      );
    }
  }
}

/** The layer that computes `placed`, with scratch for `maxRows` images; null for flatten. */
function createLayer(placed: PlacedLayer, maxRows: number, precision: Precision): Layer | null {
  const size = placed.inputShape.reduce((a, b) => a * b, 1);
  switch (placed.type) {
    case 'conv2d':
      return new Conv2d(placed.geometry, placed.parameters, maxRows, precision);
    case 'maxPool':
      return new MaxPool(placed.geometry, maxRows);
    case 'avgPool':
      return new AvgPool(placed.geometry);
    case 'dense':
      return new Dense(placed.parameters);
    case 'relu':
      return new Relu(size);
    case 'dropout':
      return new DropoutLayer(size, placed.rate, maxRows);
    case 'flatten':
      return null;
  }
}
