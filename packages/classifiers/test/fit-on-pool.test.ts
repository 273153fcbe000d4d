// A fit on the caller's pool: the model of a fit on as many threads, and the pool stays open.
import { describe, expect, it } from 'vitest';
import { Pipeline, StandardScaler } from '@typedlearn/data';
import { withPool } from '@typedlearn/tensor';
import { RandomForestClassifier, SVC } from '../src/index.js';
import { blobs } from './helpers/conformance.js';

describe('fit options: pool', () => {
  it('fits the models a fit on as many threads gives, one after another on one pool', async () => {
    const { X, y } = blobs(30);
    const forest = () => new RandomForestClassifier({ nEstimators: 6 });
    const svm = () => new Pipeline([new StandardScaler()], new SVC({ C: 2 }));
    const forestOnThreads = await forest().fit(X, y, { seed: 3, threads: 2 });
    const svmOnThreads = await svm().fit(X, y, { seed: 3, threads: 2 });
    const [forestOnPool, svmOnPool] = await withPool(
      2,
      async (pool) =>
        [
          await forest().fit(X, y, { seed: 3, pool }),
          await svm().fit(X, y, { seed: 3, pool, threads: 2 }),
        ] as const,
    );
    expect(forestOnPool.predictProba(X).data).toEqual(forestOnThreads.predictProba(X).data);
    expect(svmOnPool.decisionFunction(X).data).toEqual(svmOnThreads.decisionFunction(X).data);
  });

  it('refuses a pool that is not a WorkerPool, or other threads than it has', async () => {
    const { X, y } = blobs(5);
    await expect(new SVC().fit(X, y, { pool: {} as never })).rejects.toThrow(
      /SVC.fit: pool must be a WorkerPool/,
    );
    await withPool(2, async (pool) => {
      await expect(new SVC().fit(X, y, { pool, threads: 3 })).rejects.toThrow(
        /threads is 3 but the pool has 2 threads/,
      );
    });
  });

  it('closes the pool when the fit is aborted, which stops its tasks', async () => {
    const { X, y } = blobs(30);
    await withPool(2, async (pool) => {
      const controller = new AbortController();
      const fit = new RandomForestClassifier({ nEstimators: 50 }).fit(X, y, {
        pool,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 2) controller.abort(new Error('enough'));
        },
      });
      await expect(fit).rejects.toThrow('enough');
      await expect(pool.start()).rejects.toThrow(/closed/);
    });
  });
});
