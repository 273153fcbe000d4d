import { ValueError } from '@typedlearn/tensor';
import { checkChoice, checkNumber } from '../params.js';

/**
 * A 2-D convolution with `filters` square kernels of `kernelSize` pixels, moved by `stride`
 * (default 1). `padding` is the number of zero pixels added on each side (default 0), or
 * `'same'`: as many as keep the output at ceil(input / stride) pixels, split evenly with the
 * odd one at the bottom and right (TensorFlow's rule).
 */
export interface Conv2dSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: number;
  stride?: number;
  padding?: 'same' | number;
}

/**
 * The maximum or the mean of each channel over `size` x `size` windows moved by `stride`
 * (default `size`). A window that runs past the bottom or right edge is cut there, so no pixel
 * is left out (PyTorch's `ceil_mode`); the mean is over the pixels inside.
 */
export interface PoolSpec {
  type: 'maxPool' | 'avgPool';
  size: number;
  stride?: number;
}

/** A fully connected layer of `units` outputs; an image input is flattened first. */
export interface DenseSpec {
  type: 'dense';
  units: number;
}

/** Inverted dropout: while training, each input is zeroed with probability `rate`, in [0, 0.99]. */
export interface DropoutSpec {
  type: 'dropout';
  rate: number;
}

/** max(x, 0), elementwise. */
export interface ReluSpec {
  type: 'relu';
}

/** An image as one row of height * width * channels values (the same memory, NHWC). */
export interface FlattenSpec {
  type: 'flatten';
}

/**
 * One layer of a {@link ConvNetClassifier}, as plain JSON (it is saved in model files). The
 * final dense layer to the classes and its softmax are implied.
 */
export type LayerSpec = Conv2dSpec | PoolSpec | DenseSpec | DropoutSpec | ReluSpec | FlattenSpec;

/** The layer types, and the fields each one takes (besides `type`). */
const FIELDS: Readonly<Record<LayerSpec['type'], readonly string[]>> = {
  conv2d: ['filters', 'kernelSize', 'stride', 'padding'],
  maxPool: ['size', 'stride'],
  avgPool: ['size', 'stride'],
  dense: ['units'],
  dropout: ['rate'],
  relu: [],
  flatten: [],
};

const LAYER_TYPES = Object.keys(FIELDS) as LayerSpec['type'][];

/**
 * Throws a `ValueError` naming the layer and the field unless `layers` is an array of valid
 * {@link LayerSpec}s: a known type, only that type's fields, numbers in range. Whether the
 * layers fit the image (a kernel larger than its input, a convolution after a dense layer) is
 * checked when the image shape is known, by {@link ConvNetLayout}.
 */
export function checkLayerSpecs(owner: string, layers: unknown): asserts layers is LayerSpec[] {
  if (!Array.isArray(layers)) {
    throw new ValueError(
      `${owner}: layers must be an array of layer specs such as { type: 'conv2d', filters: 16, kernelSize: 5 }, got ${JSON.stringify(layers)}`,
    );
  }
  layers.forEach((layer: unknown, i) => {
    const where = `layers[${i}]`;
    if (layer === null || typeof layer !== 'object' || Array.isArray(layer)) {
      throw new ValueError(
        `${owner}: ${where} must be an object with a type, got ${JSON.stringify(layer)}`,
      );
    }
    const spec = layer as Record<string, unknown>;
    const type = checkChoice(owner, `${where}.type`, spec.type, LAYER_TYPES);
    for (const key of Object.keys(spec)) {
      if (key !== 'type' && !FIELDS[type].includes(key)) {
        const known = FIELDS[type].length === 0 ? 'none' : FIELDS[type].join(', ');
        throw new ValueError(
          `${owner}: ${where} (${type}) has no field '${key}'; its fields: ${known}`,
        );
      }
    }
    const positive = (name: string, optional = false) => {
      if (optional && spec[name] === undefined) return;
      checkNumber(owner, `${where}.${name}`, spec[name], { integer: true, min: 1 });
    };
    switch (type) {
      case 'conv2d':
        positive('filters');
        positive('kernelSize');
        positive('stride', true);
        if (spec.padding !== undefined && spec.padding !== 'same') {
          checkNumber(owner, `${where}.padding ('same' or a number of pixels)`, spec.padding, {
            integer: true,
            min: 0,
          });
        }
        return;
      case 'maxPool':
      case 'avgPool':
        positive('size');
        positive('stride', true);
        return;
      case 'dense':
        positive('units');
        return;
      case 'dropout':
        checkNumber(owner, `${where}.rate`, spec.rate, { min: 0, max: 0.99 });
        return;
    }
  });
}

/** A deep copy of `layers` when it is an array of objects (otherwise `layers` itself, for validation to refuse). */
export function copyLayerSpecs<T>(layers: T): T {
  if (!Array.isArray(layers)) return layers;
  return layers.map((layer: unknown) =>
    layer !== null && typeof layer === 'object' ? Object.freeze({ ...layer }) : layer,
  ) as T;
}
