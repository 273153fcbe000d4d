// Runs the typedlearn CLI as a child process, from its TypeScript sources, the way
// `pnpm typedlearn` does, and writes small MNIST-format datasets for it to train on.
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeIdx, type ImageSet } from '@typedlearn/data';
import { IDX_DATASET_FILES, loadMnist } from '@typedlearn/data/node';

const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A command line split at spaces (the test paths have none). */
export function words(line: string): string[] {
  return line.trim().split(/\s+/);
}

/** `typedlearn ...args` with stdout and stderr as pipes (not terminals), as in CI. */
export function typedlearn(args: string[], more: string[] = [], cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=typedlearn-source', '--import', TSX_LOADER, BIN, ...args, ...more],
      { cwd, env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Starts `typedlearn ...args` and presses Ctrl-C (SIGINT) as soon as it has written
 * `interruptAfter` lines of progress to stderr; resolves with the signal that ended it.
 */
export function interruptedTypedlearn(
  args: string[],
  interruptAfter: number,
): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--conditions=typedlearn-source', '--import', TSX_LOADER, BIN, ...args],
      { env: { ...process.env, CI: 'true' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      if (stderr.split('\n').length > interruptAfter) child.kill('SIGINT');
    });
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}

/** The first `n` images and labels of `set`. */
function head(set: ImageSet, n: number): ImageSet {
  return { images: set.images.slice(0, n), labels: set.labels.subarray(0, n) };
}

/**
 * Writes the first `trainSize` training and `testSize` test images of MNIST as the four
 * standard IDX files in `dir`, for `--data dir`. Returns the sets written.
 */
export async function writeSmallMnist(
  dir: string,
  trainSize: number,
  testSize: number,
): Promise<{ train: ImageSet; test: ImageSet }> {
  const mnist = loadMnist();
  const train = head(mnist.train, trainSize);
  const test = head(mnist.test, testSize);
  await mkdir(dir, { recursive: true });
  const write = (name: string, bytes: Uint8Array) => writeFile(join(dir, name), bytes);
  await Promise.all([
    write(IDX_DATASET_FILES.trainImages, writeIdx(train.images.shape, train.images.toTypedArray())),
    write(IDX_DATASET_FILES.trainLabels, writeIdx([trainSize], Uint8Array.from(train.labels))),
    write(IDX_DATASET_FILES.testImages, writeIdx(test.images.shape, test.images.toTypedArray())),
    write(IDX_DATASET_FILES.testLabels, writeIdx([testSize], Uint8Array.from(test.labels))),
  ]);
  return { train, test };
}
