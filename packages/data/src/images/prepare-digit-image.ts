import { ValueError } from '@typedlearn/tensor';
import { resizeArea, type PixelBox } from './area-resize.js';
import { toGrayscale, type RasterImage } from './grayscale.js';

/** Options of {@link prepareDigitImage}. */
export interface PrepareDigitOptions {
  /**
   * Whether to invert the grey levels so the ink is bright on dark, as in MNIST: `'auto'`
   * decides from the image's border (a light border means dark ink on a light background),
   * `true` always inverts, `false` never does. Default `'auto'`.
   */
  invert: 'auto' | boolean;
}

/** Side of MNIST's images. */
const FIELD = 28;
/** Side of the box MNIST fits each digit into before centring it in the field. */
const DIGIT_BOX = 20;
/**
 * Least difference between the brightest pixel and the background (on the [0, 1] scale) that
 * counts as ink; anything fainter is a blank canvas or sensor noise.
 */
const MIN_CONTRAST = 0.1;
/** Ink level (after contrast normalisation) from which a pixel counts for the bounding box. */
const INK_THRESHOLD = 0.1;

/**
 * Makes a photo or drawing of one digit look like an MNIST image, following how MNIST itself
 * was made (LeCun, Cortes & Burges, "The MNIST database"): the digit is fitted into a 20 x 20
 * box with anti-aliasing, keeping its aspect ratio, then placed in the 28 x 28 field so that
 * its centre of mass is at the centre. In steps:
 *
 * 1. grey levels in [0, 1] (see `toGrayscale`; transparent pixels are background);
 * 2. inversion of dark-on-light images (see {@link PrepareDigitOptions.invert});
 * 3. background removal: the border's median grey becomes 0 and the brightest pixel 1;
 * 4. crop to the bounding box of the ink;
 * 5. resize so the longer side is 20 pixels, by area averaging, then rescale so the brightest
 *    pixel is 1 again (thin strokes of large drawings fade when averaged);
 * 6. translate by whole pixels so the centre of mass lands on pixel (14, 14), as in MNIST,
 *    clamped so that no ink leaves the field.
 *
 * Returns 784 floats in [0, 1], row-major, ink = 1, ready for a model trained on
 * `toFloat01(mnist images)`. Throws a ValueError when the image has no ink (a blank canvas)
 * and a ShapeError when `data` does not match `width x height x channels`. Pure: no Node or
 * DOM APIs, so the CLI, the server and the browser share it.
 */
export function prepareDigitImage(
  image: RasterImage,
  options: Partial<PrepareDigitOptions> = {},
): Float32Array {
  const invert = options.invert ?? 'auto';
  if (invert !== 'auto' && typeof invert !== 'boolean') {
    throw new ValueError(
      `prepareDigitImage invert must be 'auto', true or false, got ${String(invert)}`,
    );
  }
  const { width, height } = image;
  const gray = toGrayscale(image);
  let background = median(borderPixels(gray, width, height));
  if (invert === true || (invert === 'auto' && background > 0.5)) {
    for (let i = 0; i < gray.length; i++) gray[i] = 1 - gray[i];
    background = 1 - background;
  }
  normaliseContrast(gray, background);
  const box = inkBoundingBox(gray, width, height);

  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const digitWidth = Math.max(1, Math.round(box.width * scale));
  const digitHeight = Math.max(1, Math.round(box.height * scale));
  const digit = resizeArea(gray, width, box, digitWidth, digitHeight);
  scaleToUnitPeak(digit);

  const field = new Float32Array(FIELD * FIELD);
  // MNIST's digits have their centre of mass at pixel (14, 14) within half a pixel.
  const [cx, cy] = centreOfMass(digit, digitWidth, digitHeight);
  const left = clamp(Math.round(FIELD / 2 - cx), 0, FIELD - digitWidth);
  const top = clamp(Math.round(FIELD / 2 - cy), 0, FIELD - digitHeight);
  for (let y = 0; y < digitHeight; y++) {
    field.set(digit.subarray(y * digitWidth, (y + 1) * digitWidth), (top + y) * FIELD + left);
  }
  return field;
}

/** The pixels of the image's outer frame (one pixel wide). */
function borderPixels(gray: Float32Array, width: number, height: number): Float32Array {
  const border: number[] = [];
  for (let x = 0; x < width; x++) {
    border.push(gray[x]);
    if (height > 1) border.push(gray[(height - 1) * width + x]);
  }
  for (let y = 1; y < height - 1; y++) {
    border.push(gray[y * width]);
    if (width > 1) border.push(gray[y * width + width - 1]);
  }
  return Float32Array.from(border);
}

/** Maps `background` to 0 and the brightest pixel to 1, clipping below; throws when blank. */
function normaliseContrast(gray: Float32Array, background: number): void {
  let peak = 0;
  for (let i = 0; i < gray.length; i++) if (gray[i] > peak) peak = gray[i];
  const contrast = peak - background;
  if (!(contrast >= MIN_CONTRAST)) {
    throw new ValueError(
      `the image has no ink: its brightest stroke differs from the background by ${contrast.toFixed(3)} ` +
        `(on a 0..1 scale), expected a digit that contrasts with its background by at least ${MIN_CONTRAST}`,
    );
  }
  for (let i = 0; i < gray.length; i++) {
    gray[i] = Math.max(0, (gray[i] - background) / contrast);
  }
}

function inkBoundingBox(gray: Float32Array, width: number, height: number): PixelBox {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x] >= INK_THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function scaleToUnitPeak(pixels: Float32Array): void {
  let peak = 0;
  for (let i = 0; i < pixels.length; i++) if (pixels[i] > peak) peak = pixels[i];
  for (let i = 0; i < pixels.length; i++) pixels[i] /= peak;
}

/** Centre of mass in pixel indices (column, row). */
function centreOfMass(pixels: Float32Array, width: number, height: number): [number, number] {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      mass += v;
      sx += x * v;
      sy += y * v;
    }
  }
  return [sx / mass, sy / mass];
}

function median(values: Float32Array): number {
  const sorted = values.slice().sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
