// What every example shares: the "small" switch that CI uses, the MNIST rows it trains on,
// where its pictures go, and how it prints results.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import type { Tensor } from '@typedlearn/tensor';

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

/** Training and test digits as float32 pixel rows in [0, 1] and their labels. */
export interface Digits {
  XTrain: Tensor;
  yTrain: Int32Array;
  XTest: Tensor;
  yTest: Int32Array;
}

/** How many digits to use: the `full` sizes normally, the `small` ones in small mode. */
export interface Sizes {
  train: number;
  test: number;
}

/** The first `train` training digits and `test` test digits of MNIST, as pixel rows in [0, 1]. */
export function loadDigits(full: Sizes, small: Sizes): Digits {
  const { train: trainSize, test: testSize } = SMALL ? small : full;
  const { train, test } = loadMnist();
  const rows = (images: Tensor<'uint8'>, n: number) => toFloat01(flattenImages(images.slice(0, n)));
  return {
    XTrain: rows(train.images, trainSize),
    yTrain: train.labels.slice(0, trainSize),
    XTest: rows(test.images, testSize),
    yTest: test.labels.slice(0, testSize),
  };
}

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
