// The plumbing every example shares: the "small" switch that CI uses and where its pictures
// go (how they print progress and results is in printing.ts). The library calls themselves are
// in the examples.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * True when the examples should run on a few hundred digits (CI does, so they cannot rot):
 * set `TYPEDLEARN_EXAMPLE_SMALL=1` or pass `--small`.
 */
export const SMALL =
  process.env.TYPEDLEARN_EXAMPLE_SMALL === '1' || process.argv.slice(2).includes('--small');

/** The command-line arguments of the example, without `--small`. */
export const ARGS = process.argv.slice(2).filter((arg) => arg !== '--small');

/** Where the pictures go: examples/output/ (ignored by git), or `$TYPEDLEARN_EXAMPLE_OUTPUT`. */
export const OUTPUT_DIR = join(
  process.env.TYPEDLEARN_EXAMPLE_OUTPUT ?? fileURLToPath(new URL('../output/', import.meta.url)),
  '/',
);

/**
 * Worker threads for training: 2 (this machine's cores, say), but 1 in small mode, where
 * starting the workers would take longer than the work.
 */
export const THREADS = SMALL ? 1 : 2;

/**
 * Writes `contents` to examples/output/`name` and says so (`  wrote <path>`, relative to the
 * current folder); returns the full path.
 */
export async function writeOutput(name: string, contents: string | Uint8Array): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, name);
  await writeFile(path, contents);
  console.log(`  wrote ${relative(process.cwd(), path)}`);
  return path;
}
