import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '@typedlearn/tensor';
import { prepareDigitImage } from '@typedlearn/data';
import { decodeImage, readImageFile } from '@typedlearn/io/node';
import { drawnDigitPng, invertedDigitJpeg } from '../../../tools/pictures.js';

/** A 28 x 28 "1": a vertical bar of ink in columns 13..14, rows 4..23. */
const ONE = Uint8Array.from({ length: 784 }, (_, i) => {
  const [y, x] = [Math.floor(i / 28), i % 28];
  return x >= 13 && x <= 14 && y >= 4 && y <= 23 ? 255 : 0;
});

describe('decodeImage', () => {
  it('decodes a PNG to RGBA pixels', () => {
    const image = decodeImage(drawnDigitPng(ONE), 'one.png');
    expect(image).toMatchObject({ width: 112, height: 112, channels: 4 });
    expect(image.data.length).toBe(112 * 112 * 4);
    // Paper (245) in a corner, ink (20) in the bar at column 13 * 4, row 10 * 4.
    expect(Array.from(image.data.subarray(0, 4))).toEqual([245, 245, 245, 255]);
    const at = 4 * (40 * 112 + 52);
    expect(Array.from(image.data.subarray(at, at + 4))).toEqual([20, 20, 20, 255]);
  });

  it('decodes greyscale and palette PNGs to RGBA too', () => {
    const png = new PNG({ width: 2, height: 1, colorType: 0, inputColorType: 0, bitDepth: 8 });
    const bytes = PNG.sync.write(
      Object.assign(png, { data: Buffer.from([0, 0, 0, 255, 200, 200, 200, 255]) }),
      { colorType: 0 },
    );
    const image = decodeImage(bytes, 'grey.png');
    expect(Array.from(image.data)).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
  });

  it('decodes a JPEG (lossy: within a few grey levels)', () => {
    const image = decodeImage(invertedDigitJpeg(ONE), 'one.jpg');
    expect(image).toMatchObject({ width: 84, height: 84, channels: 4 });
    expect(image.data[0]).toBeLessThan(8); // black background
    const at = 4 * (30 * 84 + 40); // inside the bar (column 13 * 3 + 1, row 10 * 3)
    expect(image.data[at]).toBeGreaterThan(240);
  });

  it('refuses bytes that are neither PNG nor JPEG, naming the file', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'), 'a.gif')).toThrow(
      new FormatError('a.gif is neither a PNG nor a JPEG image (it starts with bytes 47 49 46 38)'),
    );
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow(/empty.png .* it is empty/);
  });

  it("names the bytes 'image' in its errors when given no name", () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a...'))).toThrow(
      new FormatError('image is neither a PNG nor a JPEG image (it starts with bytes 47 49 46 38)'),
    );
  });

  it('refuses corrupt and truncated files with the decoder reason', () => {
    const png = drawnDigitPng(ONE);
    expect(() => decodeImage(png.subarray(0, png.length / 2), 'half.png')).toThrow(
      /^half.png is not a readable PNG image: /,
    );
    const jpg = invertedDigitJpeg(ONE);
    const garbled = jpg.slice();
    garbled.fill(0xff, 2, 40);
    expect(() => decodeImage(garbled, 'bad.jpg')).toThrow(
      /^bad.jpg is not a readable JPEG image: /,
    );
  });

  it('refuses a PNG whose header claims more than 100 megapixels, before decoding', () => {
    const png = drawnDigitPng(ONE);
    const view = new DataView(png.buffer, png.byteOffset);
    view.setUint32(16, 50_000);
    view.setUint32(20, 50_000);
    expect(() => decodeImage(png, 'huge.png')).toThrow(
      /huge.png is 50000 x 50000 pixels, more than the 100 megapixels/,
    );
  });
});

describe('readImageFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'typedlearn-images-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a file from disk and says which file is missing', async () => {
    const path = join(dir, 'one.png');
    await writeFile(path, drawnDigitPng(ONE));
    expect((await readImageFile(path)).width).toBe(112);
    await expect(readImageFile(join(dir, 'nope.png'))).rejects.toThrow(
      `cannot read image ${join(dir, 'nope.png')}: no such file`,
    );
  });
});

/** A 28 x 28 "7": a bar in rows 4..6, columns 8..20, and a stem in rows 7..23, columns 18..20. */
const SEVEN = Uint8Array.from({ length: 784 }, (_, i) => {
  const [y, x] = [Math.floor(i / 28), i % 28];
  const bar = y >= 4 && y <= 6 && x >= 8 && x <= 20;
  const stem = y >= 7 && y <= 23 && x >= 18 && x <= 20;
  return bar || stem ? 255 : 0;
});

describe('decodeImage then prepareDigitImage', () => {
  // decodeImage's DecodedImage is a RasterImage of @typedlearn/data: these calls type-check.
  // The 13 x 20 digit already fills MNIST's 20-pixel box, so preparing it only moves it: its
  // centre of mass is (8.83, 6.67) from its top-left corner, so putting that on pixel (14, 14)
  // by whole pixels puts the corner at round(5.17), round(7.33) = (5, 7) instead of (8, 4):
  // 3 columns left and 3 rows down. Ink is 1, paper 0.
  const expected = new Float32Array(784);
  SEVEN.forEach((ink, i) => {
    if (ink) expected[i + 3 * 28 - 3] = 1;
  });

  it('gives the 784 floats of the MNIST digit from a PNG of dark ink on paper', () => {
    const pixels = prepareDigitImage(decodeImage(drawnDigitPng(SEVEN)));
    expect(pixels).toBeInstanceOf(Float32Array);
    expect(Array.from(pixels)).toEqual(Array.from(expected));
    expect(prepareDigitImage({ width: 28, height: 28, channels: 1, data: SEVEN })).toEqual(pixels);
  });

  it('gives them from a JPEG of light ink on black, within a few grey levels', () => {
    const pixels = prepareDigitImage(decodeImage(invertedDigitJpeg(SEVEN)));
    expect(pixels).toHaveLength(784);
    for (let i = 0; i < 784; i++) expect(Math.abs(pixels[i] - expected[i])).toBeLessThan(0.02);
  });
});
