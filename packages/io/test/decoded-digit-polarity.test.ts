import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDigitImage } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { decodeImage } from '@typedlearn/io/node';
import { digitMatch } from '../../../tools/digit-match.js';

// Real MNIST test digits written as the files people have (a 16-bit PNG, a JPEG), decoded and
// prepared: the result must be the clean digit again, with its ink bright, whichever way round
// the picture's ink and paper are.

/** One test digit of each class 0..9 (their indices among MNIST's test images). */
const DIGITS = [3, 2, 1, 18, 4, 8, 11, 0, 61, 7];
/** Screen pixels per digit pixel, and the frame around the digit (issue 22's picture: 226 x 226). */
const SCALE = 8;
const SIDE = 28 * SCALE + 2;

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

/**
 * The digit scaled up 8 times in a one-pixel frame, as grey levels in [0, 1]: ink 1 on paper 0
 * (frame 1), or ink 0 on paper 1 when `darkInk`; the paper brightens by 10% from left to right,
 * as under a lamp.
 */
function framedDigit(digit: Uint8Array, darkInk: boolean): Float64Array {
  const grey = new Float64Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const frame = x === 0 || y === 0 || x === SIDE - 1 || y === SIDE - 1;
      const ink = frame
        ? 1
        : digit[Math.floor((y - 1) / SCALE) * 28 + Math.floor((x - 1) / SCALE)] / 255;
      const paper = 0.1 * (x / (SIDE - 1));
      const light = paper + ink * (1 - paper);
      grey[y * SIDE + x] = darkInk ? 1 - light : light;
    }
  }
  return grey;
}

/** Grey levels in [0, 1] as a 16-bit RGB PNG (pngjs packs 16-bit samples from a Uint16Array). */
function png16(grey: Float64Array): Uint8Array {
  const samples = new Uint16Array(grey.length * 4);
  grey.forEach((g, i) =>
    samples.set(
      [g, g, g, 1].map((v) => Math.round(65535 * v)),
      4 * i,
    ),
  );
  const png = new PNG({ width: SIDE, height: SIDE });
  png.data = Buffer.from(samples.buffer);
  return PNG.sync.write(png, { bitDepth: 16, colorType: 2, inputColorType: 6 });
}

/** Grey levels in [0, 1] as a JPEG of quality 75 (a phone's or a browser's usual). */
function jpegOf(grey: Float64Array): Uint8Array {
  const data = Buffer.alloc(grey.length * 4);
  grey.forEach((g, i) =>
    data.fill(Math.round(255 * g), 4 * i, 4 * i + 3).writeUInt8(255, 4 * i + 3),
  );
  return jpeg.encode({ width: SIDE, height: SIDE, data }, 75).data;
}

/**
 * Each digit, written by `encode` in both polarities, decodes and prepares to the clean digit:
 * correlated over `minCorrelation` with it (see `digitMatch` for the one-pixel shift it allows),
 * its ink bright (over 0.6 on average where the clean digit is over 0.5) and its paper dark
 * (under 0.05 where the clean digit has no ink).
 */
function expectCleanDigits(encode: (grey: Float64Array) => Uint8Array, minCorrelation: number) {
  for (const { pixels, prepared } of clean) {
    for (const darkInk of [true, false]) {
      const result = prepareDigitImage(decodeImage(encode(framedDigit(pixels, darkInk))));
      const match = digitMatch(result, prepared);
      expect(match.correlation).toBeGreaterThan(minCorrelation);
      expect(match.ink).toBeGreaterThan(0.6);
      expect(match.paper).toBeLessThan(0.05);
    }
  }
}

describe('decodeImage then prepareDigitImage: polarity', () => {
  // 16-bit samples are rescaled to 8 bits by the decoder, so the PNG gives the clean digit
  // exactly (correlation 1.000 on every digit); a one-pixel shift of a digit scores about 0.8.
  it('reads a framed digit from a 16-bit PNG', () => {
    const bytes = png16(framedDigit(clean[0].pixels, true));
    expect(bytes[24]).toBe(16); // IHDR bit depth
    expect(decodeImage(bytes)).toMatchObject({ width: SIDE, height: SIDE, channels: 4 });
    expectCleanDigits(png16, 0.99);
  });

  // JPEG blurs the strokes by about a pixel, which widens the ink's bounding box and so shrinks
  // the digit a little: these digits measure 0.95 to 1.000.
  it('reads a framed digit from a JPEG', () => {
    expectCleanDigits(jpegOf, 0.9);
  });
});
