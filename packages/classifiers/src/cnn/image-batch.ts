import { ShapeError, Tensor } from '@typedlearn/tensor';
import type { FeaturesInput } from '../input.js';
import type { ImageShape } from './image-shape.js';

/**
 * The two ways a {@link ConvNetClassifier} takes images: rows of height * width * channels
 * values (with `imageShape` saying how to read them), or a 4-D [N, H, W, C] tensor, as
 * TensorFlow.js's conv layers take them. A 4-D tensor becomes the same rows (a reshape: NHWC
 * rows are its memory order) and brings its image shape along.
 */
export function imageRows(
  owner: string,
  X: FeaturesInput,
): { rows: FeaturesInput; shape: ImageShape | null } {
  if (!(X instanceof Tensor) || X.shape.length !== 4) return { rows: X, shape: null };
  const [n, height, width, channels] = X.shape;
  if (height < 1 || width < 1 || channels < 1) {
    throw new ShapeError(
      `${owner}: a 4-D X must be [samples, height, width, channels] with every image dimension >= 1, got [${X.shape.join(', ')}]`,
    );
  }
  return { rows: X.reshape([n, height * width * channels]), shape: [height, width, channels] };
}

/** Throws a `ShapeError` unless the image shape of a 4-D X (`given`) is `expected`. */
export function checkSameImageShape(
  owner: string,
  given: ImageShape | null,
  expected: ImageShape,
  what: string,
): void {
  if (given === null || given.every((length, d) => length === expected[d])) return;
  throw new ShapeError(
    `${owner}: X holds ${given.join(' x ')} images, but ${what} ${expected.join(' x ')} images`,
  );
}
