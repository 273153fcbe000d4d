import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TypedlearnError } from '@typedlearn/tensor';

/**
 * Checks, before any long work, that a file can be written at `path` (given as `option`):
 * not a folder, in a folder that exists or can be made, and writable. So a typo in `--out`
 * fails in a second, not after an hour of training. Creates the missing folders.
 */
export async function checkOutputPath(path: string, option: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new TypedlearnError(
      `${option} ${path} is a folder; expected a file path such as ${path.replace(/\/+$/, '')}/model.safetensors`,
    );
  }
  const folder = dirname(path);
  try {
    await mkdir(folder, { recursive: true });
    await access(existing === undefined ? folder : path, constants.W_OK);
  } catch (error) {
    throw new TypedlearnError(`${option} ${path} cannot be written: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
