import { ValueError, type Rng } from '@typedlearn/tensor';
import { checkNumber } from '../params.js';
import type { ImageShape } from './image-shape.js';
import type { Floats } from './precision.js';

/**
 * On-the-fly data augmentation: each time an image is trained on, it is first shifted by up to
 * `shift` pixels along each axis and rotated by up to `rotate` degrees about its centre, each
 * amount drawn uniformly and independently (Simard, Steinkraus & Platt, "Best practices for
 * convolutional neural networks applied to visual document analysis", ICDAR 2003: distorted
 * copies of the training digits are the cheapest way to a lower error).
 */
export interface Augmentation {
  /** Largest shift, in pixels, along each axis (>= 0). */
  shift: number;
  /** Largest rotation, in degrees either way, in [0, 180]. */
  rotate: number;
}

/** Throws a `ValueError` unless `value` is null or an {@link Augmentation}. */
export function checkAugmentation(owner: string, value: unknown): void {
  if (value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(
      `${owner}: augment must be null or { shift, rotate } (pixels, degrees), got ${JSON.stringify(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (key !== 'shift' && key !== 'rotate') {
      throw new ValueError(`${owner}: augment has no field '${key}'; its fields: shift, rotate`);
    }
  }
  const { shift, rotate } = value as Record<string, unknown>;
  checkNumber(owner, 'augment.shift', shift, { min: 0 });
  checkNumber(owner, 'augment.rotate', rotate, { min: 0, max: 180 });
}

/** Values {@link drawTransforms} writes per image: shift down, shift right, angle (radians). */
export const TRANSFORM_VALUES = 3;

/** Draws the transforms of `count` images into `out`, image after image. */
export function drawTransforms(
  augment: Augmentation,
  count: number,
  rng: Rng,
  out: Float64Array,
): void {
  const maxAngle = (augment.rotate * Math.PI) / 180;
  for (let r = 0; r < count; r++) {
    out[r * TRANSFORM_VALUES] = (2 * rng.uniform() - 1) * augment.shift;
    out[r * TRANSFORM_VALUES + 1] = (2 * rng.uniform() - 1) * augment.shift;
    out[r * TRANSFORM_VALUES + 2] = (2 * rng.uniform() - 1) * maxAngle;
  }
}

/**
 * Writes the image of `source` starting at `from`, moved by (dy, dx) pixels and rotated by
 * `angle` radians about its centre, into `target` from `to`. Each output pixel p takes the
 * source at the inverse transform, q = R(-angle) (p - centre - shift) + centre, by bilinear
 * interpolation between its four neighbours, counting pixels outside the image as 0. With y
 * pointing down, a positive angle turns the image clockwise as it is displayed.
 */
export function warpImage(
  shape: ImageShape,
  source: Floats,
  from: number,
  target: Floats,
  to: number,
  dy: number,
  dx: number,
  angle: number,
): void {
  const [height, width, channels] = shape;
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  let t = to;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x - cx - dx;
      const v = y - cy - dy;
      const sx = cos * u + sin * v + cx;
      const sy = -sin * u + cos * v + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < channels; c++) {
        const at = from + c;
        target[t++] =
          (1 - fy) *
            ((1 - fx) * pixelAt(source, at, height, width, channels, y0, x0) +
              fx * pixelAt(source, at, height, width, channels, y0, x0 + 1)) +
          fy *
            ((1 - fx) * pixelAt(source, at, height, width, channels, y0 + 1, x0) +
              fx * pixelAt(source, at, height, width, channels, y0 + 1, x0 + 1));
      }
    }
  }
}

/** The value at row y, column x of the channel starting at `at` of an image; 0 outside it. */
function pixelAt(
  source: Floats,
  at: number,
  height: number,
  width: number,
  channels: number,
  y: number,
  x: number,
): number {
  if (y < 0 || y >= height || x < 0 || x >= width) return 0;
  return source[at + (y * width + x) * channels];
}
