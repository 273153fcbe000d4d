// What `/api/predict` answers besides the label: probabilities where the model has calibrated
// ones, decision scores (and `probabilities: null`) where it has not, for any kind of classes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ovrDecisionScores,
  SoftmaxRegression,
  SVC,
  type Classifier,
} from '@typedlearn/classifiers';
import { saveModel } from '@typedlearn/classifiers/node';
import { flattenImages, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { FormatError, Tensor } from '@typedlearn/tensor';
import { DigitPredictor, startDigitServer } from '@typedlearn/cli/serve';
import { postJson } from './helpers/serve-http.js';

const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
let dir: string;
const mnist = loadMnist();
const X = toFloat01(flattenImages(mnist.train.images.slice(0, 300)));
const y = mnist.train.labels.subarray(0, 300);
const testX = toFloat01(flattenImages(mnist.test.images.slice(0, 5)));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'typedlearn-answers-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function saved(model: Classifier, name: string): Promise<Uint8Array> {
  const path = join(dir, name);
  await saveModel(model, path);
  return new Uint8Array(await readFile(path));
}

/** Serves `bytes`, posts test digit 0 as pixels, and returns the answer. */
async function answerOf(bytes: Uint8Array, name: string): Promise<Record<string, unknown>> {
  const server = await startDigitServer({ modelBytes: bytes, modelName: name, port: 0 });
  try {
    const pixels = Array.from(testX.data.subarray(0, 784));
    const reply = await postJson(`${server.url}api/predict`, { pixels });
    expect(reply.status).toBe(200);
    return reply.json();
  } finally {
    await server.close();
  }
}

describe('answers', () => {
  it('an SVC without probabilities answers one-vs-rest scores and null probabilities', async () => {
    const svc = await new SVC({ C: 5 }).fit(X, y);
    const answer = await answerOf(await saved(svc, 'svc.safetensors'), 'svc.safetensors');
    const first = new Tensor(testX.data.slice(0, 784), [1, 784]);
    const scores = ovrDecisionScores(svc.decisionFunction(first), 10);
    expect(answer.probabilities).toBeNull();
    expect(answer.label).toBe(svc.predict(first)[0]);
    (answer.scores as number[]).forEach((score, k) =>
      expect(score).toBeCloseTo(scores.get(0, k), 5),
    );
  });

  it('a model fitted on names answers names, with the probability of each', async () => {
    const named = await new SoftmaxRegression({ maxIter: 50 }).fit(
      X,
      Array.from(y, (digit) => NAMES[digit]),
    );
    const answer = await answerOf(await saved(named, 'named.safetensors'), 'named.safetensors');
    const sorted = [...NAMES].sort();
    expect(answer.classes).toEqual(sorted);
    expect(answer.scores).toBeNull();
    const probabilities = answer.probabilities as number[];
    expect(probabilities).toHaveLength(10);
    expect(sorted[probabilities.indexOf(Math.max(...probabilities))]).toBe(answer.label);
    expect(answer.label).toBe(named.predict(new Tensor(testX.data.slice(0, 784), [1, 784]))[0]);
  });

  it('refuses a model that does not take 28 x 28 images, naming both sizes', async () => {
    const small = await new SoftmaxRegression({ maxIter: 5 }).fit(
      [
        [0, 1],
        [1, 0],
      ],
      [0, 1],
    );
    const bytes = await saved(small, 'small.safetensors');
    expect(() => DigitPredictor.fromBytes(bytes, 'small.safetensors')).toThrow(FormatError);
    expect(() => DigitPredictor.fromBytes(bytes, 'small.safetensors')).toThrow(
      'small.safetensors takes 2 features per image; an image model here takes 28 x 28 = 784 pixels',
    );
  });
});
