// Pictures of digits: grey images laid out in a grid and written as PNG with pngjs.
import { PNG } from 'pngjs';

/** Side of an MNIST digit in pixels. */
export const DIGIT_SIDE = 28;

/** Options of {@link digitGridPng}. */
export interface DigitGridOptions {
  /** Digits per row of the grid. Default: all in one row. */
  columns?: number;
  /** Screen pixels per image pixel. Default 4. */
  scale?: number;
  /** Draw dark ink on white instead of white ink on black (as MNIST stores it). Default false. */
  invert?: boolean;
}

/**
 * A PNG of 28 x 28 images (each a row-major array of values) in a grid, with a 1-pixel gap.
 * Each image is stretched to its own range, so a faint mean digit is as visible as a crisp
 * one. By default ink is white on black, as MNIST stores it; `invert: true` draws dark ink.
 */
export function digitGridPng(images: ArrayLike<number>[], options: DigitGridOptions = {}): Buffer {
  const columns = options.columns ?? images.length;
  const scale = options.scale ?? 4;
  const rows = Math.ceil(images.length / columns);
  const cell = DIGIT_SIDE * scale + 1;
  const png = new PNG({ width: columns * cell + 1, height: rows * cell + 1 });
  png.data.fill(255);
  images.forEach((image, index) => {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < image.length; i++) {
      low = Math.min(low, image[i]);
      high = Math.max(high, image[i]);
    }
    const range = high > low ? high - low : 1;
    const left = (index % columns) * cell + 1;
    const top = Math.floor(index / columns) * cell + 1;
    for (let y = 0; y < DIGIT_SIDE * scale; y++) {
      for (let x = 0; x < DIGIT_SIDE * scale; x++) {
        const value =
          (image[Math.floor(y / scale) * DIGIT_SIDE + Math.floor(x / scale)] - low) / range;
        const grey = Math.round(255 * (options.invert ? 1 - value : value));
        const at = 4 * ((top + y) * png.width + left + x);
        png.data[at] = png.data[at + 1] = png.data[at + 2] = grey;
      }
    }
  });
  return PNG.sync.write(png);
}
