// ConvNetClassifier's own behaviour (the conformance suite checks the contract every classifier
// keeps): the same model on any number of threads, partialFit as fit's first epoch, learning
// real digits, history and early stopping, model files of other architectures, and clear
// refusals of bad layers and shapes.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '@typedlearn/tensor';
import { featureRows } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import {
  ConvNetClassifier,
  decodeModel,
  encodeModel,
  type Classifier,
  type FitProgress,
  type LayerSpec,
} from '../src/index.js';
import { blobs } from './helpers/conformance.js';

/** A small network for 28 x 28 digits: quick to train, with every kind of layer. */
const SMALL: LayerSpec[] = [
  { type: 'conv2d', filters: 4, kernelSize: 5, padding: 'same' },
  { type: 'relu' },
  { type: 'maxPool', size: 2 },
  { type: 'conv2d', filters: 8, kernelSize: 3, padding: 1, stride: 2 },
  { type: 'relu' },
  { type: 'avgPool', size: 2 },
  { type: 'flatten' },
  { type: 'dense', units: 32 },
  { type: 'relu' },
  { type: 'dropout', rate: 0.25 },
];

function digits(count: number, from = 0) {
  const { train } = loadMnist();
  const { X, y } = featureRows(train, from + count);
  return { X: X.slice(from, from + count), y: y.slice(from, from + count) };
}

/** Every tensor of a model's state as bits, for exact comparison. */
function bits(model: Classifier): Record<string, number[]> {
  const { tensors } = model.toState();
  return Object.fromEntries(
    Object.entries(tensors).map(([name, t]) => [
      name,
      Array.from(new Uint32Array(t.data.slice().buffer)),
    ]),
  );
}

describe('ConvNetClassifier', () => {
  it('gives bit-identical weights on 1 and 2 threads, with dropout, augmentation and weights', async () => {
    const { X, y } = digits(300);
    const sampleWeight = Array.from(y, (_, i) => [1, 0.5, 2][i % 3]);
    const options = { layers: SMALL, epochs: 2, batchSize: 50, augment: { shift: 2, rotate: 10 } };
    const fit = (threads: number) =>
      new ConvNetClassifier(options).fit(X, y, { threads, seed: 3, sampleWeight });
    const [one, two] = [await fit(1), await fit(2)];
    expect(bits(two)).toEqual(bits(one));
    expect(two.info.history.map((h) => h.loss)).toEqual(one.info.history.map((h) => h.loss));
  });

  it('gives the same network with max pooling before or after ReLU (they commute)', async () => {
    const { X, y } = digits(200);
    const swapped = SMALL.map((layer, i) => (i === 1 ? SMALL[2] : i === 2 ? SMALL[1] : layer));
    expect(swapped.slice(0, 3).map((layer) => layer.type)).toEqual(['conv2d', 'maxPool', 'relu']);
    const fit = (layers: LayerSpec[]) =>
      new ConvNetClassifier({ layers, epochs: 2, batchSize: 40 }).fit(X, y, { seed: 5 });
    const [reluFirst, poolFirst] = [await fit(SMALL), await fit(swapped)];
    expect(bits(poolFirst)).toEqual(bits(reluFirst));
  });

  it('learns MNIST digits from 2000 images', async () => {
    const { X, y } = digits(2000);
    const test = digits(1000, 59000);
    const layers: LayerSpec[] = [
      { type: 'conv2d', filters: 8, kernelSize: 5, padding: 'same' },
      { type: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'conv2d', filters: 16, kernelSize: 3, padding: 'same' },
      { type: 'relu' },
      { type: 'maxPool', size: 2 },
      { type: 'dense', units: 32 },
      { type: 'relu' },
    ];
    const model = await new ConvNetClassifier({ layers, epochs: 4, batchSize: 32 }).fit(X, y);
    expect(model.score(test.X, test.y)).toBeGreaterThan(0.9);
  });

  it('records a per-epoch history and reports it as progress', async () => {
    const { X, y } = digits(200);
    const reports: FitProgress[] = [];
    const model = await new ConvNetClassifier({
      layers: SMALL,
      epochs: 3,
      batchSize: 32,
      validationFraction: 0.25,
    }).fit(X, y, { onProgress: (p) => reports.push(p) });
    const { history, stopReason, bestEpoch } = model.info;
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect([stopReason, bestEpoch]).toEqual(['epochs', 3]);
    for (const record of history) {
      expect(record.validationAccuracy).toBeGreaterThanOrEqual(0);
      expect(record.validationAccuracy).toBeLessThanOrEqual(1);
    }
    expect(history[2].learningRate).toBeLessThan(history[0].learningRate); // cosine
    expect(reports.map((r) => [r.stage, r.step, r.total])).toEqual([
      ['epoch', 1, 3],
      ['epoch', 2, 3],
      ['epoch', 3, 3],
    ]);
    expect(reports[2].loss).toBe(history[2].loss);
  });

  it('early stopping keeps the weights of the best validation epoch', async () => {
    const { X, y } = digits(200);
    const model = await new ConvNetClassifier({
      layers: SMALL,
      epochs: 12,
      batchSize: 32,
      learningRate: 0.05, // too large on purpose: validation accuracy soon stops improving
      validationFraction: 0.3,
      earlyStopping: true,
      patience: 2,
    }).fit(X, y);
    const { history, bestEpoch, stopReason } = model.info;
    expect(stopReason).toBe('early-stopping');
    const accuracies = history.map((h) => h.validationAccuracy as number);
    expect(accuracies[bestEpoch - 1]).toBe(Math.max(...accuracies));
    expect(history.length).toBe(bestEpoch + 2);
  });

  it('partialFit over all the rows is bit for bit fit with epochs: 1, and then continues', async () => {
    const { X, y } = digits(120);
    const options = { layers: SMALL, batchSize: 40, epochs: 3, augment: { shift: 1, rotate: 5 } };
    const fitted = await new ConvNetClassifier({ ...options, epochs: 1 }).fit(X, y, { seed: 4 });
    // epochs: 1 and 3 differ only in the schedule after the first epoch.
    const partial = new ConvNetClassifier({ ...options, epochs: 1 });
    await partial.partialFit(X, y, { seed: 4, classes: Array.from(new Set(y)) });
    expect(bits(partial)).toEqual(bits(fitted));
    const before = bits(partial);
    await partial.partialFit(X, y, { seed: 5 });
    expect(bits(partial)).not.toEqual(before);
    expect(partial.info.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(partial.info.stopReason).toBe('partial-fit');
  });

  it("partialFit refuses classWeight 'balanced' and a batch of another image size", async () => {
    const { X, y } = digits(40);
    await expect(
      new ConvNetClassifier({ layers: SMALL, classWeight: 'balanced' }).partialFit(X, y, {
        classes: Array.from(new Set(y)),
      }),
    ).rejects.toThrow(/balanced/);
    const model = await new ConvNetClassifier({ layers: SMALL, epochs: 1 }).fit(X, y);
    await expect(
      model.partialFit(X.slice(0, 10).reshape([10, 784]), y.subarray(0, 10)),
    ).resolves.toBe(model);
    await expect(model.partialFit(blobs().X, blobs().y)).rejects.toThrow(ShapeError);
  });

  it('stops between batches when the signal is aborted mid-fit', async () => {
    const { X, y } = digits(2000);
    const controller = new AbortController();
    const model = new ConvNetClassifier({ layers: SMALL, epochs: 50, batchSize: 16 });
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('enough')), 200);
    await expect(model.fit(X, y, { signal: controller.signal })).rejects.toThrow('enough');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(model.isFitted).toBe(false);
  });

  it('round-trips a model file of another architecture and image shape', async () => {
    // 2 x 3 images of 2 channels: 12 features.
    const { X: X6, y } = blobs();
    const X = X6.toArray() as number[][];
    const rows = X.map((row) => [...row, ...row.map((v) => 1 - v)]);
    const layers: LayerSpec[] = [
      { type: 'conv2d', filters: 3, kernelSize: 2, padding: 'same' },
      { type: 'relu' },
      { type: 'avgPool', size: 2, stride: 1 },
      { type: 'dense', units: 8 },
      { type: 'relu' },
    ];
    const model = await new ConvNetClassifier({
      imageShape: [2, 3, 2],
      layers,
      epochs: 20,
      batchSize: 8,
      learningRate: 0.01,
      augment: null, // not images: shifting and turning them would scramble the classes
    }).fit(rows, y);
    expect(model.score(rows, y)).toBeGreaterThan(0.9);
    const state = decodeModel(encodeModel(model.toState(), [])).model;
    expect(Object.keys(state.tensors).sort()).toEqual([
      'imageShape',
      'layers.0.bias',
      'layers.0.weight',
      'layers.3.bias',
      'layers.3.weight',
      'output.bias',
      'output.weight',
    ]);
    expect(state.tensors['layers.0.weight'].shape).toEqual([2, 2, 2, 3]);
    const restored = ConvNetClassifier.fromState(state);
    expect(restored.params).toEqual(model.params);
    expect(restored.predictProba(rows).toArray()).toEqual(model.predictProba(rows).toArray());
    expect(restored.summary()).toBe(model.summary());
    expect(() => ConvNetClassifier.fromState({ ...state, nFeatures: 13 })).toThrow(ShapeError);
  });

  it('takes [N, H, W, C] images: the same model as their rows, and the shape kept in the file', async () => {
    const { X, y } = digits(120);
    const images = X.reshape([120, 28, 28, 1]);
    const options = { layers: SMALL, epochs: 1, batchSize: 40 };
    const [fromRows, fromImages] = [
      await new ConvNetClassifier(options).fit(X, y, { seed: 2 }),
      await new ConvNetClassifier(options).fit(images, y, { seed: 2 }),
    ];
    expect(bits(fromImages)).toEqual(bits(fromRows));
    expect(fromImages.predictProba(images).toArray()).toEqual(fromRows.predictProba(X).toArray());
    expect(fromImages.score(images, y)).toBe(fromRows.score(X, y));

    // A 14 x 56 image is not the square that 784 features would be read as without the shape.
    const wide = X.reshape([120, 14, 56, 1]);
    const model = await new ConvNetClassifier(options).fit(wide, y, { seed: 2 });
    expect(model.summary()).toMatch(/^input +14 x 56 x 1 +0$/m);
    const restored = ConvNetClassifier.fromState(decodeModel(encodeModel(model.toState(), [])).model); // prettier-ignore
    expect(restored.params.imageShape).toBeNull();
    expect(restored.predictProba(X).toArray()).toEqual(model.predictProba(wide).toArray());
    expect(() => model.predict(images)).toThrow(
      'ConvNetClassifier: X holds 28 x 28 x 1 images, but the model was fitted on 14 x 56 x 1 images',
    );
    await expect(model.partialFit(images, y)).rejects.toThrow(/fitted on 14 x 56 x 1/);
    await expect(
      new ConvNetClassifier({ ...options, imageShape: [28, 28, 1] }).fit(wide, y),
    ).rejects.toThrow('X holds 14 x 56 x 1 images, but imageShape says 28 x 28 x 1 images');
  });

  it('summarises the fitted network', async () => {
    const { X, y } = digits(64);
    const model = await new ConvNetClassifier({ layers: SMALL, epochs: 1 }).fit(X, y);
    expect(model.summary()).toMatch(/^conv2d 8 3x3 padding 1 stride 2 +7 x 7 x 8 +296$/m);
    expect(() => new ConvNetClassifier().summary()).toThrow(/not fitted/);
  });

  it('refuses bad layers, image shapes and augmentation by name', async () => {
    const bad = (options: object, message: RegExp) =>
      expect(() => new ConvNetClassifier(options)).toThrow(message);
    bad({ layers: 'lenet' }, /layers must be an array/);
    bad({ layers: [{ type: 'conv3d' }] }, /layers\[0\]\.type must be one of 'conv2d'/);
    bad(
      { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, filter: 2 }] },
      /layers\[0\] \(conv2d\) has no field 'filter'/,
    );
    bad(
      { layers: [{ type: 'conv2d', filters: 0, kernelSize: 3 }] },
      /layers\[0\]\.filters must be an integer >= 1/,
    );
    bad({ layers: [{ type: 'conv2d', filters: 2, kernelSize: 3, padding: 'valid' }] }, /padding/);
    bad({ layers: [{ type: 'relu' }, { type: 'dropout', rate: 1 }] }, /layers\[1\]\.rate/);
    bad({ imageShape: [28, 28] }, /imageShape must be \[height, width, channels\]/);
    bad({ augment: { shift: 2, rotation: 5 } }, /augment has no field 'rotation'/);
    bad({ augment: { shift: -1, rotate: 5 } }, /augment\.shift/);
    const { X, y } = digits(20);
    await expect(new ConvNetClassifier({ imageShape: [28, 27, 1] }).fit(X, y)).rejects.toThrow(
      /imageShape \[28, 27, 1\] holds 756 values but X has 784 features/,
    );
    await expect(
      new ConvNetClassifier({
        layers: [
          { type: 'maxPool', size: 4 },
          { type: 'maxPool', size: 4 },
          { type: 'conv2d', filters: 2, kernelSize: 3 },
        ],
      }).fit(X, y),
    ).rejects.toThrow(/layers\[2\]: a 3 x 3 kernel with padding 0 does not fit its 2 x 2 input/);
    expect(() => new ConvNetClassifier({ earlyStopping: true })).toThrow(/validationFraction > 0/);
  });

  it('keeps its own copy of the layers it was given', () => {
    const layers: LayerSpec[] = [{ type: 'dense', units: 8 }];
    const model = new ConvNetClassifier({ layers });
    (layers[0] as { units: number }).units = 99;
    layers.push({ type: 'relu' });
    expect(model.params.layers).toEqual([{ type: 'dense', units: 8 }]);
  });
});
