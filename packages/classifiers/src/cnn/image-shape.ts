import { ShapeError, ValueError } from '@typedlearn/tensor';
import { checkNumber } from '../params.js';

/** Height, width and channels of the images a row of X holds, pixel by pixel (NHWC order). */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** Throws a `ValueError` unless `value` is null or three positive integers. */
export function checkImageShape(owner: string, value: unknown): void {
  if (value === null) return;
  if (!Array.isArray(value) || value.length !== 3) {
    throw new ValueError(
      `${owner}: imageShape must be [height, width, channels] (e.g. [28, 28, 1]) or null, got ${JSON.stringify(value)}`,
    );
  }
  value.forEach((length, d) =>
    checkNumber(owner, `imageShape[${d}]`, length, { integer: true, min: 1 }),
  );
}

/**
 * The image shape of rows of `features` values: `given` when set (its pixels must number
 * `features`, else a `ShapeError`); otherwise a square single-channel image when `features`
 * is a square (784 -> 28 x 28 x 1), and a single row of pixels when it is not.
 */
export function resolveImageShape(
  owner: string,
  given: ImageShape | null,
  features: number,
): ImageShape {
  if (given !== null) {
    const [height, width, channels] = given;
    if (height * width * channels !== features) {
      throw new ShapeError(
        `${owner}: imageShape [${given.join(', ')}] holds ${height * width * channels} values but X has ${features} features per row; expected them to match`,
      );
    }
    return given;
  }
  const side = Math.round(Math.sqrt(features));
  return side * side === features ? [side, side, 1] : [1, features, 1];
}
