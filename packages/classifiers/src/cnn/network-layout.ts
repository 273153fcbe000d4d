import { convGeometry, type ConvGeometry } from './conv-geometry.js';
import type { ImageShape } from './image-shape.js';
import type { ParameterBlock } from './layer.js';
import type { LayerSpec } from './layer-spec.js';
import { poolGeometry, type PoolGeometry } from './pool-geometry.js';

/** One layer placed in a network: its shapes, its geometry, and where its parameters are. */
export type PlacedLayer = {
  /** The name of its tensors in model files: `layers.<i>`, or `output` for the implied last layer. */
  name: string;
  /** Per image: [height, width, channels] while images, [values] after a dense or flatten layer. */
  inputShape: readonly number[];
  outputShape: readonly number[];
} & (
  | { type: 'conv2d'; geometry: ConvGeometry; parameters: ParameterBlock }
  | { type: 'dense'; parameters: ParameterBlock }
  | { type: 'maxPool' | 'avgPool'; geometry: PoolGeometry; parameters: null }
  | { type: 'dropout'; rate: number; parameters: null }
  | { type: 'relu' | 'flatten'; parameters: null }
);

/**
 * A network laid out on its input: the layers of `specs` on images of `imageShape`, then the
 * implied dense layer to `classes` logits, each with its input and output shapes (the layer
 * specs alone do not say how big anything is), and one flat parameter vector holding every
 * layer's weights then biases, in layer order. One vector lets one optimiser step update every
 * layer, one gradient check cover them all, and the threads share one block of memory.
 *
 * Throws a `ValueError` naming the layer when a spec does not fit its input (a kernel larger
 * than the padded image, a convolution after a dense layer).
 */
export class ConvNetLayout {
  readonly layers: readonly PlacedLayer[];
  readonly parameterCount: number;

  constructor(
    readonly imageShape: ImageShape,
    specs: readonly LayerSpec[],
    readonly classes: number,
  ) {
    const layers: PlacedLayer[] = [];
    let shape: readonly number[] = imageShape;
    let offset = 0;
    const block = (fanIn: number, units: number): ParameterBlock => {
      const placed = { weightOffset: offset, fanIn, units, biasOffset: offset + fanIn * units };
      offset += fanIn * units + units;
      return placed;
    };
    const all: LayerSpec[] = [...specs, { type: 'dense', units: classes }];
    all.forEach((spec, i) => {
      const name = i < specs.length ? `layers.${i}` : 'output';
      const where = i < specs.length ? `layers[${i}]` : 'the output layer';
      const inputShape = shape;
      const size = inputShape.reduce((a, b) => a * b, 1);
      let placed: PlacedLayer;
      switch (spec.type) {
        case 'conv2d': {
          const geometry = convGeometry(spec, inputShape, where);
          const fanIn = geometry.kernel * geometry.kernel * geometry.channels;
          const outputShape = [geometry.outHeight, geometry.outWidth, geometry.filters];
          placed = {
            name,
            type: 'conv2d',
            geometry,
            inputShape,
            outputShape,
            parameters: block(fanIn, spec.filters),
          };
          break;
        }
        case 'maxPool':
        case 'avgPool': {
          const geometry = poolGeometry(spec, inputShape, where);
          const outputShape = [geometry.outHeight, geometry.outWidth, geometry.channels];
          placed = { name, type: spec.type, geometry, inputShape, outputShape, parameters: null };
          break;
        }
        case 'dense':
          placed = {
            name,
            type: 'dense',
            inputShape,
            outputShape: [spec.units],
            parameters: block(size, spec.units),
          };
          break;
        case 'dropout':
          placed = {
            name,
            type: 'dropout',
            rate: spec.rate,
            inputShape,
            outputShape: inputShape,
            parameters: null,
          };
          break;
        case 'relu':
          placed = { name, type: 'relu', inputShape, outputShape: inputShape, parameters: null };
          break;
        case 'flatten':
          placed = { name, type: 'flatten', inputShape, outputShape: [size], parameters: null };
          break;
      }
      layers.push(placed);
      shape = placed.outputShape;
    });
    this.layers = layers;
    this.parameterCount = offset;
  }

  /** Values per image at the input: height * width * channels. */
  get features(): number {
    const [height, width, channels] = this.imageShape;
    return height * width * channels;
  }

  /** Values per image at the output of layer i. */
  outputSize(i: number): number {
    return this.layers[i].outputShape.reduce((a, b) => a * b, 1);
  }

  /**
   * The shape of a layer's weights as model files store them: [kernel, kernel, channels,
   * filters] (HWIO) for a convolution, [fanIn, units] for a dense layer.
   */
  weightShape(layer: PlacedLayer): number[] {
    const { parameters } = layer;
    if (parameters === null) return [];
    if (layer.type !== 'conv2d') return [parameters.fanIn, parameters.units];
    const { kernel, channels, filters } = layer.geometry;
    return [kernel, kernel, channels, filters];
  }
}
