// The plumbing every example shares: the "small" switch that CI uses, where its pictures go,
// and how it prints progress and results. The library calls themselves are in the examples.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FitProgress } from '@typedlearn/classifiers';

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

/** Prints the line the example tests look for: `accuracy: 97.12% on 2000 test digits`. */
export function printAccuracy(accuracy: number, testDigits: number): void {
  console.log(`accuracy: ${(100 * accuracy).toFixed(2)}% on ${testDigits} test digits`);
}

/** Seconds since `start` (a `performance.now()` value), for messages. */
export function secondsSince(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

/**
 * An `onProgress` callback for `fit` that prints a line at every tenth of the work (and for
 * every epoch or iteration when there are only a few), with the loss when the model reports one.
 */
export function printProgress(): (progress: FitProgress) => void {
  let lastTenth = -1;
  return ({ stage, step, total, loss }) => {
    const tenth = Math.floor((10 * step) / total);
    if (tenth === lastTenth && total > 10) return;
    lastTenth = tenth;
    const lossText = loss === undefined ? '' : `  loss ${loss.toFixed(4)}`;
    console.log(`  ${stage} ${step}/${total}${lossText}`);
  };
}
