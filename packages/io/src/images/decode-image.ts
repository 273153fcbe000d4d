import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { FormatError } from '@typedlearn/tensor';
import type { DecodedImage } from './decoded-image.js';

/** Pictures larger than this are refused before decoding (a 10000 x 10000 photo is 100 MP). */
export const MAX_IMAGE_MEGAPIXELS = 100;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/**
 * Decodes PNG or JPEG bytes of any size and colour type into RGBA pixels, with pure-JavaScript
 * decoders (pngjs, jpeg-js), ready for `prepareDigitImage` of `@typedlearn/data`. The format is
 * recognised by its signature bytes. Pictures over {@link MAX_IMAGE_MEGAPIXELS} are refused
 * before their pixels are decoded (from the PNG header; jpeg-js checks the JPEG frame header);
 * unknown, corrupt or truncated bytes are a {@link FormatError}. `name` (default `'image'`)
 * starts every error message, so pass the file name or wherever the bytes came from.
 * Node only (pngjs needs Node's zlib and Buffer).
 */
export function decodeImage(bytes: Uint8Array, name = 'image'): DecodedImage {
  if (startsWith(bytes, PNG_SIGNATURE)) return decodePng(bytes, name);
  if (startsWith(bytes, JPEG_SIGNATURE)) return decodeJpeg(bytes, name);
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new FormatError(
    `${name} is neither a PNG nor a JPEG image (it starts with bytes ${head || 'nothing: it is empty'})`,
  );
}

function decodePng(bytes: Uint8Array, name: string): DecodedImage {
  // The IHDR chunk must come first (PNG spec, section 5.6): width and height are the
  // big-endian words at bytes 16 and 20. Checking them first refuses decompression bombs.
  if (bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    checkSize(view.getUint32(16), view.getUint32(20), name);
  }
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, channels: 4, data: png.data };
  } catch (error) {
    throw new FormatError(`${name} is not a readable PNG image: ${(error as Error).message}`);
  }
}

function decodeJpeg(bytes: Uint8Array, name: string): DecodedImage {
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
      maxMemoryUsageInMB: 4 * MAX_IMAGE_MEGAPIXELS + 100,
    });
    return { width: image.width, height: image.height, channels: 4, data: image.data };
  } catch (error) {
    throw new FormatError(`${name} is not a readable JPEG image: ${(error as Error).message}`);
  }
}

function checkSize(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_MEGAPIXELS * 1e6) {
    throw new FormatError(
      `${name} is ${width} x ${height} pixels, more than the ${MAX_IMAGE_MEGAPIXELS} megapixels ` +
        'decodeImage takes; scale it down first',
    );
  }
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}
