// Every built-in classifier survives a trip through a model file on disk unchanged.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PCA, Pipeline } from '@typedlearn/data';
import {
  DecisionTreeClassifier,
  MLPClassifier,
  RandomForestClassifier,
  SVC,
  SoftmaxRegression,
  classifierOf,
  modelTypes,
  ConvNetClassifier,
  type Classifier,
} from '../src/index.js';
import { loadModel, saveModel } from '../src/model-file/node.js';
import { blobs } from './helpers/conformance.js';

/** A small unfitted model of each built-in type, with probabilities where it can have them. */
const MODELS: Record<string, () => Classifier> = {
  softmax: () => new SoftmaxRegression(),
  svm: () => new SVC({ probability: true }),
  forest: () => new RandomForestClassifier({ nEstimators: 5 }),
  'decision-tree': () => new DecisionTreeClassifier(),
  mlp: () => new MLPClassifier({ hiddenLayers: [8], epochs: 3 }),
  cnn: () =>
    new ConvNetClassifier({
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' },
        { type: 'relu' },
        { type: 'dense', units: 8 },
      ],
      augment: null,
      epochs: 3,
    }),
};

describe('saveModel then loadModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'typedlearn-round-trip-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('covers every registered model type', () => {
    expect(modelTypes().sort()).toEqual(Object.keys(MODELS).sort());
  });

  const { X, y } = blobs(12);
  const { X: unseen } = blobs(9);

  it.each(Object.keys(MODELS))('%s predicts identically after the trip', async (type) => {
    const model = await MODELS[type]().fit(X, y, { seed: 7 });
    const path = join(dir, `${type}.safetensors`);
    await saveModel(model, path);
    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(model.constructor);
    const restored = loaded as Classifier;
    expect(restored.modelType).toBe(type);
    expect(restored.params).toEqual(model.params);
    expect(Array.from(restored.classes)).toEqual(Array.from(model.classes));
    expect(Array.from(restored.predict(unseen))).toEqual(Array.from(model.predict(unseen)));
    expect(restored.predictProba!(unseen).toArray()).toEqual(model.predictProba!(unseen).toArray());
  });

  it.each(Object.keys(MODELS))('%s inside a Pipeline keeps its preprocessing', async (type) => {
    const pipeline = await new Pipeline([new PCA({ nComponents: 3 })], MODELS[type]()).fit(X, y, {
      seed: 7,
    });
    const path = join(dir, `pipeline-${type}.safetensors`);
    await saveModel(pipeline, path);
    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(Pipeline);
    expect(classifierOf(loaded).nFeatures).toBe(3);
    expect(Array.from(loaded.predict(unseen))).toEqual(Array.from(pipeline.predict(unseen)));
  });
});
