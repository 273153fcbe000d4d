// Lockstep: workers held for a fit's length and handed steps through shared memory.
import { describe, expect, it } from 'vitest';
import { TypedlearnError, WorkerPool, allocateShared, defineTask } from '@typedlearn/tensor';
import { FitPool } from '../src/parallel/fit-pool.js';
import { Lockstep } from '../src/parallel/lockstep.js';

// Named with `.js`, as compiled code would; the pool resolves it to the .ts source.
const SERVE_PRODUCTS = defineTask(new URL('./fixtures/lockstep-tasks.js', import.meta.url), 'serveProducts'); // prettier-ignore

async function withCrew(
  threads: number,
  body: (crew: Lockstep, out: Float64Array) => Promise<void>,
) {
  const workers = WorkerPool.create(threads);
  try {
    const out = allocateShared('float64', threads);
    const inputs = Array.from({ length: threads - 1 }, () => ({ out }));
    const crew = await Lockstep.start(new FitPool(workers, undefined), SERVE_PRODUCTS, inputs, 1);
    await body(crew, out);
  } finally {
    await workers.close();
  }
}

describe('Lockstep', () => {
  it('runs each step on every worker and the calling thread, and returns when all are done', async () => {
    await withCrew(3, async (crew, out) => {
      expect(crew.workers).toBe(2);
      for (const value of [1.5, -0, 7, 1e300]) {
        for (let w = 0; w < crew.workers; w++) crew.message(w)[0] = value;
        crew.run(() => {
          out[0] = value;
        });
        // The workers' writes are visible as soon as run returns.
        expect(Array.from(out)).toEqual([value, value * 2, value * 3]);
      }
      await crew.stop();
      expect(() => crew.run(() => {})).toThrow(TypedlearnError);
    });
  });

  it('refuses more workers than the pool has threads (a queued one would never start)', async () => {
    const workers = WorkerPool.create(1);
    const out = allocateShared('float64', 3);
    await expect(
      Lockstep.start(new FitPool(workers, undefined), SERVE_PRODUCTS, [{ out }, { out }], 1),
    ).rejects.toThrow(/2 workers need a pool of as many threads, got 1/);
    await workers.close();
  });

  it("fails the step when a worker's step throws, and stop rejects with that error", async () => {
    await withCrew(2, async (crew, out) => {
      crew.message(0)[0] = 2;
      crew.run(() => {});
      expect(out[1]).toBe(4);
      crew.message(0)[0] = -1;
      let ranInline = false;
      expect(() =>
        crew.run(() => {
          ranInline = true;
        }),
      ).toThrow(/a worker thread failed/);
      expect(ranInline).toBe(true);
      await expect(crew.stop()).rejects.toThrow('a negative step: -1');
    });
  });
});
