import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDigitImage, type RasterImage } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { digitMatch } from '../../../tools/digit-match.js';

// Pictures of real MNIST test digits as people hand them to prepareDigitImage: scaled up, on
// plain, framed, graded and shadowed pages, in colour, in both polarities. Each must give back
// what the clean 28 x 28 digit gives, with the ink bright.

/** One test digit of each class 0..9 (their indices among MNIST's test images). */
const DIGITS = [3, 2, 1, 18, 4, 8, 11, 0, 61, 7];

/**
 * Least correlation with the clean digit's preparation. Most cases give it back exactly
 * (correlation 1: an integer scale-up is undone exactly by the area resize); a lighting
 * gradient or a colour conversion changes grey levels by a few percent, and the cases below
 * measure 0.996 or more. A digit cut by the crop (a 7 missing the last row of its stem) measures
 * 0.966, and one with the wrong polarity correlates negatively.
 */
const MIN_CORRELATION = 0.99;

let clean: { pixels: Uint8Array; prepared: Float32Array }[];

beforeAll(() => {
  const { test } = loadMnist();
  clean = DIGITS.map((k) => {
    const pixels = test.images.row(k).toTypedArray() as Uint8Array;
    return {
      pixels,
      prepared: prepareDigitImage({ width: 28, height: 28, channels: 1, data: pixels }),
    };
  });
});

/** Grey level of the page at (x, y), in [0, 1]. */
type Paper = (x: number, y: number) => number;

/** Where a digit lies on a page: `scale` page pixels per digit pixel, its top-left corner. */
interface Placement {
  width: number;
  height: number;
  scale: number;
  left: number;
  top: number;
}

/** The digit's ink (0..1) at every page pixel, scaled by pixel repetition; off-page ink is cut. */
function coverage(digit: Uint8Array, at: Placement): Float32Array {
  const ink = new Float32Array(at.width * at.height);
  for (let y = 0; y < at.height; y++) {
    for (let x = 0; x < at.width; x++) {
      const dx = Math.floor((x - at.left) / at.scale);
      const dy = Math.floor((y - at.top) / at.scale);
      if (dx >= 0 && dx < 28 && dy >= 0 && dy < 28)
        ink[y * at.width + x] = digit[dy * 28 + dx] / 255;
    }
  }
  return ink;
}

/** A grey page with the digit on it: its ink t blends the paper's grey towards the ink's. */
function page(digit: Uint8Array, at: Placement, paper: Paper, ink: number): RasterImage {
  const t = coverage(digit, at);
  const data = new Uint8Array(at.width * at.height);
  for (let y = 0; y < at.height; y++) {
    for (let x = 0; x < at.width; x++) {
      const p = paper(x, y);
      data[y * at.width + x] = Math.round(255 * (p + t[y * at.width + x] * (ink - p)));
    }
  }
  return { width: at.width, height: at.height, channels: 1, data };
}

/** The digit in colour `ink` on colour `paper` (RGB 0..255), as RGB or opaque RGBA. */
function colourPage(
  digit: Uint8Array,
  at: Placement,
  paper: number[],
  ink: number[],
  channels: 3 | 4,
): RasterImage {
  const t = coverage(digit, at);
  const data = new Uint8Array(t.length * channels).fill(255);
  t.forEach((v, i) => {
    for (let c = 0; c < 3; c++)
      data[i * channels + c] = Math.round(paper[c] + v * (ink[c] - paper[c]));
  });
  return { width: at.width, height: at.height, channels, data };
}

/** Strokes in colour `ink` on a transparent canvas: the ink's coverage is the alpha. */
function transparentPage(digit: Uint8Array, at: Placement, ink: number[]): RasterImage {
  const t = coverage(digit, at);
  const data = new Uint8Array(t.length * 4);
  t.forEach((v, i) => data.set([ink[0], ink[1], ink[2], Math.round(255 * v)], 4 * i));
  return { width: at.width, height: at.height, channels: 4, data };
}

/** The same picture with every colour level c replaced by 255 - c (alpha kept). */
function negative(image: RasterImage): RasterImage {
  const alpha = image.channels === 4 ? 3 : -1;
  return { ...image, data: image.data.map((v, i) => (i % 4 === alpha ? v : 255 - v)) };
}

/** Paints a frame `thickness` pixels wide around a grey picture, in grey level `grey`. */
function framed(image: RasterImage, thickness: number, grey: number): RasterImage {
  const data = Uint8Array.from(image.data);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const edge = Math.min(x, y, image.width - 1 - x, image.height - 1 - y);
      if (edge < thickness) data[y * image.width + x] = grey;
    }
  }
  return { ...image, data };
}

/** First and last columns and first row of the digit's ink. */
function inkBounds(digit: Uint8Array): { left: number; right: number; top: number } {
  const bounds = { left: 28, right: -1, top: 28 };
  digit.forEach((v, i) => {
    if (v === 0) return;
    bounds.left = Math.min(bounds.left, i % 28);
    bounds.right = Math.max(bounds.right, i % 28);
    bounds.top = Math.min(bounds.top, Math.floor(i / 28));
  });
  return bounds;
}

/**
 * `result` is the `clean` digit: correlated at least MIN_CORRELATION with it (see `digitMatch`
 * for the one-pixel shift it allows), with bright ink (over 0.6 on average where the clean
 * digit is over 0.5) and dark paper (under 0.05 where it has no ink).
 */
function expectSameDigit(result: Float32Array, clean: Float32Array): void {
  const match = digitMatch(result, clean);
  expect(match.correlation).toBeGreaterThan(MIN_CORRELATION);
  expect(match.ink).toBeGreaterThan(0.6);
  expect(match.paper).toBeLessThan(0.05);
}

/**
 * Prepares `picture(digit)` for every test digit in both polarities (`picture` draws dark ink on
 * light; its negative is light ink on dark) and checks each against the clean digit.
 */
function expectCleanDigits(picture: (digit: Uint8Array) => RasterImage): void {
  for (const { pixels, prepared } of clean) {
    const darkInk = picture(pixels);
    for (const image of [darkInk, negative(darkInk)]) {
      expectSameDigit(prepareDigitImage(image), prepared);
    }
  }
}

const white: Paper = () => 1;

describe('prepareDigitImage: polarity and background', () => {
  it("reads issue 22's picture: a digit scaled to 226 x 226 in a one-pixel frame of the ink's colour", () => {
    // examples/07 draws the prepared digit 8 times larger, white on black, inside a white
    // frame: the border has the ink's colour, yet the ink is a minority of the pixels.
    const at = { width: 226, height: 226, scale: 8, left: 1, top: 1 };
    expectCleanDigits((digit) => framed(page(digit, at, white, 0), 1, 0));
  });

  it('gives the same digit when the right polarity is forced', () => {
    const at = { width: 226, height: 226, scale: 8, left: 1, top: 1 };
    const darkInk = framed(page(clean[7].pixels, at, white, 0), 1, 0);
    const auto = prepareDigitImage(darkInk);
    expect(prepareDigitImage(darkInk, { invert: true })).toEqual(auto);
    const lightInk = prepareDigitImage(negative(darkInk), { invert: false });
    expect(Math.max(...lightInk.map((v, i) => Math.abs(v - auto[i])))).toBeLessThan(1e-6);
  });

  it('ignores a thicker frame, and a scanner line along one edge', () => {
    const at = { width: 236, height: 236, scale: 8, left: 6, top: 6 };
    expectCleanDigits((digit) => framed(page(digit, at, white, 0), 6, 0));
    expectCleanDigits((digit) => {
      const image = page(digit, { width: 200, height: 180, scale: 5, left: 40, top: 20 }, white, 0);
      for (let y = 10; y < 170; y++) image.data.fill(40, y * 200 + 197, y * 200 + 200);
      return image;
    });
  });

  it('reads a plain page of any grey, the digit anywhere on it', () => {
    const at = { width: 300, height: 200, scale: 5, left: 150, top: 40 };
    expectCleanDigits((digit) => page(digit, at, () => 0.8, 0.15));
  });

  it('follows a photo-like lighting gradient across the page', () => {
    // Light falling from 0.35 on the left of the page to 0.95 on its right.
    const at = { width: 400, height: 300, scale: 6, left: 116, top: 66 };
    expectCleanDigits((digit) => page(digit, at, (x) => 0.35 + (0.6 * x) / 399, 0.05));
  });

  it('is not fooled by a soft shadow band along one side', () => {
    // The left side darkened by up to 30%, fading over a tenth of the page's width.
    const at = { width: 400, height: 300, scale: 6, left: 150, top: 66 };
    expectCleanDigits((digit) => page(digit, at, (x) => 0.9 * (1 - 0.3 * Math.exp(-x / 40)), 0.1));
  });

  it('finds a 28 x 28 digit on an 800 x 600 page', () => {
    const at = { width: 800, height: 600, scale: 1, left: 500, top: 120 };
    expectCleanDigits((digit) => page(digit, at, () => 0.95, 0.1));
  });

  it('reads RGB and RGBA pictures, opaque or drawn on a transparent canvas', () => {
    const at = { width: 160, height: 140, scale: 4, left: 30, top: 10 };
    const cream = [240, 230, 200];
    const blue = [30, 40, 150];
    expectCleanDigits((digit) => colourPage(digit, at, cream, blue, 3));
    expectCleanDigits((digit) => colourPage(digit, at, cream, blue, 4));
    // Blue strokes, then (the negative) yellow ones, each on a fully transparent canvas.
    expectCleanDigits((digit) => transparentPage(digit, at, blue));
  });

  it('keeps all of a digit drawn up to the edge of the canvas', () => {
    // As on the drawing page: ink reaching the left edge, or the top and right edges.
    expectCleanDigits((digit) => {
      const { left, top } = inkBounds(digit);
      const at = { width: 280, height: 280, scale: 10, left: -10 * left, top: 20 - 10 * top };
      return page(digit, at, white, 0);
    });
    expectCleanDigits((digit) => {
      const { right, top } = inkBounds(digit);
      const at = {
        width: 260,
        height: 260,
        scale: 10,
        left: 260 - 10 * (right + 1),
        top: -10 * top,
      };
      return page(digit, at, white, 0);
    });
  });
});
