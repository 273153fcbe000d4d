import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ShapeError,
  Tensor,
  TypedlearnError,
  ValueError,
  WorkerPool,
  allocate,
  allocateShared,
  allocatorFor,
  sharedCopy,
  defineTask,
  isShared,
  withPool,
} from '@typedlearn/tensor';
import { sumOfNormalSquares } from './fixtures/tasks.js';

// Named with `.js`, as compiled code would; the pool resolves it to tasks.ts when run from source.
const tasks = new URL('./fixtures/tasks.js', import.meta.url);
const sumTask = defineTask(tasks, 'sumOfNormalSquares');
const inputs = [1, 2, 3, 4, 5].map((seed) => ({ seed, count: 1000 }));

describe('WorkerPool', () => {
  const pools = [1, 2].map((threads) => WorkerPool.create(threads));
  afterAll(() => Promise.all(pools.map((pool) => pool.close())));

  it('gives the same results, in input order, inline (1 thread) and on 2 workers', async () => {
    const expected = inputs.map(sumOfNormalSquares);
    for (const pool of pools) {
      expect(await pool.map(sumTask, inputs)).toEqual(expected);
    }
  });

  it('runs inline on 1 thread and in worker threads on 2', async () => {
    const where = defineTask(tasks, 'whereAmI');
    expect(await pools[0].run(where, null)).toBe(false);
    expect(await pools[1].map(where, [null, null])).toEqual([true, true]);
  });

  it('runs a task once on every started thread, after the task it is running', async () => {
    const record = defineTask(tasks, 'recordThread');
    await withPool(2, async (pool) => {
      await pool.start();
      const busy = pool.run(sumTask, { seed: 9, count: 200_000 });
      const log = allocateShared('int32', 8);
      await pool.eachThread(record, log);
      expect(log[0]).toBe(2);
      expect(new Set([log[1], log[2]]).size).toBe(2);
      expect(Math.min(log[1], log[2])).toBeGreaterThan(0); // worker threads, not this one
      expect(await busy).toBe(sumOfNormalSquares({ seed: 9, count: 200_000 }));
    });
    const inline = allocateShared('int32', 4);
    await pools[0].eachThread(record, inline);
    expect(Array.from(inline.subarray(0, 2))).toEqual([1, 0]);
  });

  it('allocates shared memory for tensors on request', () => {
    const shared = Tensor.zeros([2, 3], 'int32', { shared: true });
    expect(shared.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(isShared(shared.data)).toBe(true);
    expect(isShared(Tensor.zeros([2, 3]).data)).toBe(false);
    expect(allocateShared('uint8', 5)).toEqual(new Uint8Array(5));
    expect(() => allocateShared('float32', -1)).toThrow(ValueError);
  });

  it('allocates every element type, shared or not, and copies into shared memory', () => {
    const doubles = allocateShared('float64', 3);
    expect(doubles).toBeInstanceOf(Float64Array);
    expect(doubles.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(doubles.byteLength).toBe(24);
    expect(allocatorFor(true)('int32', 2).buffer).toBeInstanceOf(SharedArrayBuffer);
    const plain = allocatorFor(false)('float64', 2);
    expect(plain).toEqual(new Float64Array(2));
    expect(isShared(plain)).toBe(false);
    expect(() => allocate('float16' as never, 1)).toThrow(
      /unknown dtype 'float16': expected one of float32, float64/,
    );

    const source = Float64Array.from([1.5, -2, 3]);
    const copy = sharedCopy(source);
    expect(copy).toBeInstanceOf(Float64Array);
    expect(isShared(copy)).toBe(true);
    expect(copy).toEqual(source);
    copy[0] = 9;
    expect(source[0]).toBe(1.5);
  });

  it('shares SharedArrayBuffer-backed arrays with the task', async () => {
    for (const pool of pools) {
      const values = allocateShared('float32', 3);
      values.set([1, 2, 3]);
      expect(await pool.run(defineTask(tasks, 'squareShared'), values)).toBe(3);
      expect([...values]).toEqual([1, 4, 9]);
    }
  });

  it('rejects with the original error class and message, and keeps working', async () => {
    for (const pool of pools) {
      await expect(pool.run(defineTask(tasks, 'fail'), { message: 'boom' })).rejects.toThrow(
        new RangeError('boom'),
      );
      const shapeError = pool.run(defineTask(tasks, 'failWithShapeError'), null);
      await expect(shapeError).rejects.toBeInstanceOf(ShapeError);
      await expect(shapeError).rejects.toThrow('expected a [2, 3] matrix, got [3, 2]');
      await expect(pool.run(defineTask(tasks, 'noSuchExport'), null)).rejects.toThrow(
        /task 'noSuchExport' is not a function exported by/,
      );
      expect(await pool.run(sumTask, inputs[0])).toBe(sumOfNormalSquares(inputs[0]));
    }
  });

  it('rejects outputs that cannot cross threads', async () => {
    await expect(pools[1].run(defineTask(tasks, 'returnFunction'), null)).rejects.toThrow(
      /could not be cloned/,
    );
  });

  it('refuses bad thread counts, relative task URLs and use after close', async () => {
    expect(() => WorkerPool.create(0)).toThrow(ValueError);
    expect(() => WorkerPool.create(1.5)).toThrow(/integer >= 1, got 1.5/);
    expect(() => defineTask('./tasks.js', 'f')).toThrow(/must be an absolute URL/);
    const pool = WorkerPool.create(2);
    await pool.close();
    await expect(pool.run(sumTask, inputs[0])).rejects.toThrow(TypedlearnError);
  });

  it('starts its threads on request, before any task', async () => {
    const pool = WorkerPool.create(2);
    try {
      await pool.start();
      // A thread created now gets a higher id than any thread the pool already started.
      const { Worker } = await import('node:worker_threads');
      const later = new Worker('', { eval: true });
      const laterId = later.threadId;
      await later.terminate();
      const ids = await pool.map(defineTask(tasks, 'threadId'), [null, null]);
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) expect(id).toBeLessThan(laterId);
    } finally {
      await pool.close();
    }
    await expect(WorkerPool.create(1).start()).resolves.toBeUndefined();
    await expect(pools[1].start()).resolves.toBeUndefined(); // already running: nothing to do
    const closed = WorkerPool.create(2);
    await closed.close();
    await expect(closed.start()).rejects.toThrow(TypedlearnError);
  });

  it('has each thread it starts import the modules of the tasks to preload', async () => {
    const announce = defineTask(
      new URL('./fixtures/announce-import.js', import.meta.url),
      'importedBy',
    );
    const channel = new BroadcastChannel('typedlearn-preload-test');
    const imported = new Set<number>();
    const bothImported = new Promise<void>((resolve) => {
      channel.onmessage = (event: MessageEvent<number>) => {
        imported.add(event.data);
        if (imported.size === 2) resolve();
      };
    });
    const pool = WorkerPool.create(2);
    try {
      await pool.start([announce]);
      // No task has run: only the preloading makes the threads import the module.
      await bothImported;
      const ids = await pool.map<null, number>(announce, [null, null]);
      for (const id of ids) expect(imported.has(id)).toBe(true);
    } finally {
      channel.close();
      await pool.close();
    }
  });

  it('withPool closes the pool even when the body throws', async () => {
    let used: WorkerPool | undefined;
    await expect(
      withPool(2, async (pool) => {
        used = pool;
        await pool.run(sumTask, inputs[0]);
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    await expect(used!.run(sumTask, inputs[0])).rejects.toThrow(/closed/);
  });
});

describe('WorkerPool in a separate process', () => {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
  // Inside the package, so the built modules resolve `ndarray` from its node_modules.
  const builtDir = `${packageDir}.tsbuild/pool-test-dist/`;
  afterAll(() => rmSync(builtDir, { recursive: true, force: true }));

  // A child script that never closes its pool: the process must still exit on its own.
  const script = (entry: string, taskModule: string): string => `
    import { WorkerPool, defineTask } from ${JSON.stringify(entry)};
    const pool = WorkerPool.create(2);
    const task = defineTask(${JSON.stringify(taskModule)}, 'sumOfNormalSquares');
    const out = await pool.map(task, [{ seed: 1, count: 10 }, { seed: 2, count: 10 }]);
    console.log(JSON.stringify(out));
  `;
  const expected = JSON.stringify([1, 2].map((seed) => sumOfNormalSquares({ seed, count: 10 })));

  function runChild(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const child = spawnSync(process.execPath, args, {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: child.status, stdout: child.stdout.trim(), stderr: child.stderr };
  }

  it('exits after its work when running from TypeScript sources under tsx', () => {
    const child = runChild([
      '--import',
      'tsx',
      '--input-type=module',
      '--eval',
      script(new URL('../src/index.ts', import.meta.url).href, tasks.href),
    ]);
    expect(child.stderr).toBe('');
    expect([child.status, child.stdout]).toEqual([0, expected]);
  });

  it('works from compiled JavaScript with no loader, and exits', () => {
    // Compile src/*.ts and the task fixtures to plain ES modules, as `tsc -b` does for dist/.
    mkdirSync(`${builtDir}fixtures`, { recursive: true });
    const compile = (from: string, to: string): void => {
      const source = readFileSync(from, 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(to, outputText.replaceAll("'@typedlearn/tensor'", "'../index.js'"));
    };
    for (const file of readdirSync(`${packageDir}src`, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const to = `${builtDir}${file.replace(/\.ts$/, '.js')}`;
      mkdirSync(dirname(to), { recursive: true });
      compile(`${packageDir}src/${file}`, to);
    }
    for (const file of ['tasks', 'helpers']) {
      compile(`${packageDir}test/fixtures/${file}.ts`, `${builtDir}fixtures/${file}.js`);
    }
    writeFileSync(
      `${builtDir}child.mjs`,
      script('./index.js', `file://${builtDir}fixtures/tasks.js`),
    );
    const child = runChild([`${builtDir}child.mjs`]);
    expect(child.stderr).toBe('');
    expect([child.status, child.stdout]).toEqual([0, expected]);
  });
});
