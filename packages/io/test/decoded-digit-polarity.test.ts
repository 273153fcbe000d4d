import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDigitImage } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { decodeImage } from '@typedlearn/io/node';

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

/** `image` (28 x 28) moved by whole pixels, zeros shifted in. */
function shifted(image: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const [sx, sy] = [x - dx, y - dy];
      if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = image[sy * 28 + sx];
    }
  }
  return out;
}

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const SHIFTS = [-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => [dx, dy]));

/**
 * Each digit, written by `encode` in both polarities, decodes and prepares to the clean digit:
 * correlated over `minCorrelation` with it, allowing a one-pixel shift (MNIST centres the
 * centre of mass by whole pixels, so a digit whose centre falls near a pixel boundary lands one
 * pixel over when its grey levels change a little), its ink bright (over 0.6 on average where
 * the clean digit is over 0.5) and its paper dark (under 0.05 where the clean digit has no ink).
 */
function expectCleanDigits(encode: (grey: Float64Array) => Uint8Array, minCorrelation: number) {
  for (const { pixels, prepared } of clean) {
    for (const darkInk of [true, false]) {
      const result = prepareDigitImage(decodeImage(encode(framedDigit(pixels, darkInk))));
      let best = { r: -1, reference: prepared };
      for (const [dx, dy] of SHIFTS) {
        const reference = shifted(prepared, dx, dy);
        const r = correlation(result, reference);
        if (r > best.r) best = { r, reference };
      }
      expect(best.r).toBeGreaterThan(minCorrelation);
      let [ink, inkCount, paper, paperCount] = [0, 0, 0, 0];
      best.reference.forEach((v, i) => {
        if (v > 0.5) [ink, inkCount] = [ink + result[i], inkCount + 1];
        if (v === 0) [paper, paperCount] = [paper + result[i], paperCount + 1];
      });
      expect(ink / inkCount).toBeGreaterThan(0.6);
      expect(paper / paperCount).toBeLessThan(0.05);
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
