import { readFile } from 'node:fs/promises';
import { FormatError } from '@typedlearn/tensor';
import { decodeImage } from './decode-image.js';
import type { DecodedImage } from './decoded-image.js';

/**
 * Reads a PNG or JPEG file of any size and colour type into RGBA pixels (see
 * {@link decodeImage}); the format is recognised by its signature bytes, not by the file name.
 * A missing, corrupt or unsupported file is a {@link FormatError} naming the file. Node only.
 */
export async function readImageFile(file: string): Promise<DecodedImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as Error).message;
    throw new FormatError(`cannot read image ${file}: ${reason}`);
  }
  return decodeImage(bytes, file);
}
