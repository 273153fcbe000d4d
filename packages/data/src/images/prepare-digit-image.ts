import { ValueError } from '@typedlearn/tensor';
import { resizeArea } from './area-resize.js';
import {
  backgroundRowLevel,
  fitBackgroundPlane,
  subtractBackground,
  type BackgroundPlane,
} from './background-plane.js';
import { eraseBorderClutter } from './border-clutter.js';
import { toGrayscale, type RasterImage } from './grayscale.js';
import { inkIsDarker } from './ink-polarity.js';

/** Options of {@link prepareDigitImage}. */
export interface PrepareDigitOptions {
  /**
   * Whether the ink is darker than the background, so that the grey levels must be inverted to
   * make it bright on dark, as in MNIST: `'auto'` decides from the whole picture (the ink is on
   * the side of the background, darker or lighter, where the pixels that stand out carry more
   * mass; see `inkIsDarker`), `true` always inverts, `false` never does. Default `'auto'`.
   */
  invert: 'auto' | boolean;
}

/** Side of MNIST's images. */
const FIELD = 28;
/** Side of the box MNIST fits each digit into before centring it in the field. */
const DIGIT_BOX = 20;
/**
 * Least difference between the strongest stroke and the background (on the [0, 1] scale) that
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
 * 2. background removal: a plane fitted robustly to the whole picture (see
 *    `fitBackgroundPlane`: a flat background or an even gradient of light) is subtracted;
 * 3. polarity: which side of the background the ink is on (see
 *    {@link PrepareDigitOptions.invert}; deviations of at least 0.1 count as strong);
 * 4. contrast: the deviations on the ink's side, relative to the background's grey (see
 *    `normaliseContrast`), scaled so that the strongest is 1 and the background 0;
 * 5. border clutter (a frame, an edge line, a shadow band along a side) is erased, see
 *    `eraseBorderClutter`, and the picture is cropped to the bounding box of the ink;
 * 6. resize so the longer side is 20 pixels, by area averaging, then rescale so the brightest
 *    pixel is 1 again (thin strokes of large drawings fade when averaged);
 * 7. translate by whole pixels so the centre of mass lands on pixel (14, 14), as in MNIST,
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
  const ink = toGrayscale(image);
  const background = fitBackgroundPlane(ink, width, height);
  subtractBackground(ink, width, height, background);
  const darkInk = invert === 'auto' ? inkIsDarker(ink, MIN_CONTRAST) : invert;
  normaliseContrast(ink, width, height, background, darkInk);
  const box = eraseBorderClutter(ink, width, height, INK_THRESHOLD);

  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const digitWidth = Math.max(1, Math.round(box.width * scale));
  const digitHeight = Math.max(1, Math.round(box.height * scale));
  const digit = resizeArea(ink, width, box, digitWidth, digitHeight);
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

/**
 * Turns the residuals from the `background` into ink in place, throwing when the strongest
 * stroke is too faint. The ink is each residual on the ink's side divided by the room the
 * background leaves on that side (its grey level for dark ink, 1 minus it for light ink), then
 * by the largest such value, clipped below at 0. Light falling unevenly on a page scales
 * the paper and the ink alike (grey = light x reflectance), so dividing by the local paper grey
 * gives every stroke the same ink whatever the light on it (flat-field correction); on an even
 * background it only rescales.
 */
function normaliseContrast(
  residual: Float32Array,
  width: number,
  height: number,
  background: BackgroundPlane,
  darkInk: boolean,
): void {
  const side = darkInk ? -1 : 1;
  let contrast = 0;
  let peak = 0;
  const { slopeX, centreX } = background;
  for (let y = 0; y < height; y++) {
    const rowLevel = backgroundRowLevel(background, y);
    for (let x = 0; x < width; x++) {
      const deviation = side * residual[y * width + x];
      const paper = rowLevel + slopeX * (x - centreX);
      const ink = Math.max(0, deviation / Math.max(darkInk ? paper : 1 - paper, MIN_CONTRAST));
      residual[y * width + x] = ink;
      contrast = Math.max(contrast, deviation);
      peak = Math.max(peak, ink);
    }
  }
  if (!(contrast >= MIN_CONTRAST)) {
    throw new ValueError(
      `the image has no ink: its brightest stroke differs from the background by ${contrast.toFixed(3)} ` +
        `(on a 0..1 scale), expected a digit that contrasts with its background by at least ${MIN_CONTRAST}`,
    );
  }
  for (let i = 0; i < residual.length; i++) residual[i] /= peak;
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

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
