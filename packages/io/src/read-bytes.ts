import { readFile } from 'node:fs/promises';
import { FormatError } from '@typedlearn/tensor';

/**
 * The bytes of the file at `path`; a file that cannot be read (missing, a folder, no
 * permission) is a {@link FormatError} that says `cannot read <what> <path>` and why. Node only.
 */
export async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : (error as Error).message;
    throw new FormatError(`cannot read ${what} ${path}: ${reason}`, { cause: error });
  }
}
