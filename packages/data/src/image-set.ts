import { DTypeError, FormatError, ShapeError, Tensor, ValueError } from '@typedlearn/tensor';
import type { IdxData } from './idx-format.js';

/** Labelled images: uint8 pixels [N, rows, cols] (0 = background) and one label per image. */
export interface ImageSet {
  images: Tensor<'uint8'>;
  labels: Int32Array;
}

/** A dataset split into training and test images, as MNIST is. */
export interface TrainTestImages {
  train: ImageSet;
  test: ImageSet;
}

/**
 * Pairs decoded IDX images ([N, rows, cols] of u8) with decoded IDX labels ([N] of any
 * integer type), checking that the types, ranks and counts agree. `name` prefixes errors.
 * The pixels are a view of `images.data` (no copy).
 */
export function imageSetFromIdx(images: IdxData, labels: IdxData, name = 'dataset'): ImageSet {
  if (images.type !== 'u8' || images.dims.length !== 3) {
    throw new FormatError(
      `${name} images must be u8 with dimensions [N, rows, cols], got ${images.type} [${images.dims.join(', ')}]`,
    );
  }
  if (labels.type === 'f32' || labels.type === 'f64' || labels.dims.length !== 1) {
    throw new FormatError(
      `${name} labels must be integers with dimensions [N], got ${labels.type} [${labels.dims.join(', ')}]`,
    );
  }
  if (labels.dims[0] !== images.dims[0]) {
    throw new FormatError(
      `${name} has ${images.dims[0]} images but ${labels.dims[0]} labels: expected one label per image`,
    );
  }
  return {
    images: new Tensor(images.data, images.dims),
    labels: Int32Array.from(labels.data),
  };
}

/** Images [N, rows, cols] as rows of pixels [N, rows * cols]: a view when contiguous. */
export function flattenImages<D extends 'uint8' | 'float32'>(images: Tensor<D>): Tensor<D> {
  if (images.rank < 2) {
    throw new ShapeError(
      `flattenImages needs images [N, rows, cols, ...], got shape [${images.shape.join(', ')}]`,
    );
  }
  return images.reshape([images.shape[0], -1]);
}

/** `UNIT_PIXEL[v] = v / 255` as float32: the division is done once per grey level. */
const UNIT_PIXEL = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/** Pixels 0..255 as float32 in [0, 1] (`pixel / 255`), in a new tensor of the same shape. */
export function toFloat01(pixels: Tensor<'uint8'>): Tensor {
  if (pixels.dtype !== 'uint8') {
    throw new DTypeError(`toFloat01 expects uint8 pixels, got a ${pixels.dtype} tensor`);
  }
  const source = pixels.contiguous();
  const n = source.size;
  const out = new Float32Array(n);
  const data = source.data;
  const offset = source.offset;
  for (let i = 0; i < n; i++) out[i] = UNIT_PIXEL[data[offset + i]];
  return new Tensor(out, source.shape);
}

/**
 * The first `count` images of `set` (all by default) as a classifier takes them: each image a
 * row of float32 pixels in [0, 1] (`toFloat01(flattenImages(...))`), with the labels.
 */
export function featureRows(
  set: ImageSet,
  count = set.labels.length,
): { X: Tensor; y: Int32Array } {
  if (!Number.isInteger(count) || count < 0) {
    throw new ValueError(`featureRows: count must be an integer >= 0, got ${count}`);
  }
  const n = Math.min(count, set.labels.length);
  return {
    X: toFloat01(flattenImages(set.images.slice(0, n))),
    y: set.labels.subarray(0, n),
  };
}
