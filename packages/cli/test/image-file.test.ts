import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '@typedlearn/tensor';
import { decodeImage, readImageFile } from '../src/image-file.js';
import { drawnDigitPng, invertedDigitJpeg } from './helpers/pictures.js';

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
