// Models and digits for the `typedlearn serve` tests: a classifier trained on the first rows
// of MNIST, saved as a model file, and MNIST test digits to send or draw.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomForestClassifier } from '@typedlearn/classifiers';
import { saveModel } from '@typedlearn/classifiers/node';
import { flattenImages, toFloat01, type ImageSet } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';

/** A model file on disk, with its bytes; `remove` deletes its folder. */
export interface SavedDigitModel {
  path: string;
  bytes: Uint8Array;
  remove(): Promise<void>;
}

/**
 * A random forest of `trees` trees fitted (seed 0) on the first `trainSize` MNIST training
 * images, saved as `forest.safetensors` in a new temporary folder. `info` is merged into
 * the model's recorded info (to record a test accuracy, say).
 */
export async function saveDigitModel(
  trainSize: number,
  trees: number,
  info: Record<string, unknown> = {},
): Promise<SavedDigitModel> {
  const { train } = loadMnist();
  const X = toFloat01(flattenImages(train.images.slice(0, trainSize)));
  const model = await new RandomForestClassifier({ nEstimators: trees }).fit(
    X,
    train.labels.subarray(0, trainSize),
    { seed: 0 },
  );
  const dir = await mkdtemp(join(tmpdir(), 'typedlearn-serve-'));
  const path = join(dir, 'forest.safetensors');
  await saveModel(model, path, { info });
  const bytes = new Uint8Array(await readFile(path));
  return { path, bytes, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The first `n` MNIST test digits: 28 x 28 pixels each (ink = 255) and their labels. */
export function testDigits(n: number): { pixels: Uint8Array[]; labels: Int32Array } {
  const { test }: { test: ImageSet } = loadMnist();
  const flat = test.images.slice(0, n).contiguous().data as Uint8Array;
  const pixels = Array.from({ length: n }, (_, i) => flat.slice(i * 784, (i + 1) * 784));
  return { pixels, labels: test.labels.slice(0, n) };
}
