import { readBytes } from '../read-bytes.js';
import { decodeImage } from './decode-image.js';
import type { DecodedImage } from './decoded-image.js';

/**
 * Reads a PNG or JPEG file of any size and colour type into RGBA pixels (see
 * {@link decodeImage}); the format is recognised by its signature bytes, not by the file name.
 * A missing, corrupt or unsupported file is a {@link FormatError} naming the file. Node only.
 */
export async function readImageFile(file: string): Promise<DecodedImage> {
  return decodeImage(await readBytes(file, 'image'), file);
}
