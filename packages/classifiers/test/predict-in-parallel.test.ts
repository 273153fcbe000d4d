// predictInParallel answers exactly what predict answers, on the threads or not.
import { describe, expect, it } from 'vitest';
import { Pipeline, StandardScaler } from '@typedlearn/data';
import { Tensor, withPool } from '@typedlearn/tensor';
import { predictInParallel, RandomForestClassifier, SVC } from '../src/index.js';
import { blobs } from './helpers/conformance.js';

const NAMES: Record<number, string> = { 2: 'two', 5: 'five', 9: 'nine' };

/** 1,200 rows: 500 for the calling thread's probe, 700 for the threads. */
function data() {
  const { X, y } = blobs(400);
  return { X, y, names: Array.from(y, (label) => NAMES[label]) };
}

describe('predictInParallel', () => {
  it('gives a pipeline its own labels, strings in order, when the threads predict the rest', async () => {
    const { X, names } = data();
    const model = new Pipeline([new StandardScaler()], new SVC({ C: 0.1 }));
    await model.fit(X, names, { seed: 0 });
    const expected = model.predict(X);
    const threaded = await withPool(2, (pool) =>
      predictInParallel(model, X, pool, { minThreadedSeconds: 0 }),
    );
    expect(threaded).toEqual(expected);
    expect(new Set(expected).size).toBe(3);
  });

  it('gives integer labels as an Int32Array, on the threads, inline, or on one thread', async () => {
    const { X, y } = data();
    const model = new RandomForestClassifier({ nEstimators: 5, maxDepth: 2 });
    await model.fit(X, y, { seed: 1 });
    const expected = model.predict(X);
    const answers = await withPool(2, async (pool) => [
      await predictInParallel(model, X, pool, { minThreadedSeconds: 0 }),
      await predictInParallel(model, X, pool, { minThreadedSeconds: Infinity }),
    ]);
    answers.push(await withPool(1, (pool) => predictInParallel(model, X, pool)));
    for (const answer of answers) {
      expect(answer).toBeInstanceOf(Int32Array);
      expect(Array.from(answer)).toEqual(Array.from(expected));
    }
  });

  it('predicts fewer rows than the probe on the calling thread', async () => {
    const { X, y } = data();
    const model = await new RandomForestClassifier({ nEstimators: 3 }).fit(X, y, { seed: 2 });
    const few = new Tensor(X.data.slice(0, 7 * 6), [7, 6]);
    const labels = await withPool(2, (pool) =>
      predictInParallel(model, few, pool, { minThreadedSeconds: 0 }),
    );
    expect(Array.from(labels)).toEqual(Array.from(model.predict(few)));
  });

  it('refuses rows of the wrong width as predict does', async () => {
    const { X, y } = data();
    const model = await new RandomForestClassifier({ nEstimators: 3 }).fit(X, y, { seed: 2 });
    const wide = new Tensor(new Float32Array(600 * 7), [600, 7]);
    await expect(
      withPool(2, (pool) => predictInParallel(model, wide, pool, { minThreadedSeconds: 0 })),
    ).rejects.toThrow(/7/);
  });
});
