// The wasm-simd backend's memory: one WebAssembly.Memory per thread, grown as needed up to a
// bound, with its buffers reused from call to call; and the pieces gemmParallel runs on workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Rng,
  WorkerPool,
  allocateShared,
  gemm,
  gemmParallel,
  setBackend,
} from '@typedlearn/tensor';
import { gemmBlockWasm } from '../src/gemm-task.js';
import { packAllOfB, packedBFloats, WASM_GEMM_WORKSPACE_BYTES } from '../src/gemm-wasm.js';
import { localKernels, MAXIMUM_BYTES } from '../src/wasm/kernels.js';
import { randomArray } from './helpers/reference.js';

beforeAll(() => setBackend('wasm-simd'));
afterAll(() => setBackend('auto'));

describe('the kernels memory', () => {
  it('is shared in Node, so that pool workers can attach to it', () => {
    const kernels = localKernels();
    expect(kernels.shared).toBe(true);
    expect(kernels.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('hands out aligned ranges, takes them back, reuses them and stays within its bound', () => {
    const kernels = localKernels();
    const first = kernels.allocate(100);
    const second = kernels.allocate(1000);
    expect(first % 64).toBe(0);
    expect(second % 64).toBe(0);
    expect(second).toBeGreaterThanOrEqual(first + 128);
    const length = kernels.memory.buffer.byteLength;
    kernels.release(first, 100);
    kernels.release(second, 1000);
    // Freed neighbours merge: the same 1100 bytes fit again where they were, without growing.
    expect(kernels.allocate(1100)).toBe(first);
    kernels.release(first, 1100);
    expect(kernels.memory.buffer.byteLength).toBe(length);
    expect(kernels.allocate(MAXIMUM_BYTES + 1)).toBe(-1);
  });

  it('does not grow after the first gemm, whatever the sizes', () => {
    const rng = new Rng(1);
    const run = (m: number, n: number, k: number): void => {
      const c = new Float32Array(m * n);
      gemm(
        false,
        true,
        m,
        n,
        k,
        1,
        randomArray(rng, m * k),
        k,
        randomArray(rng, n * k),
        k,
        0,
        c,
        n,
      );
    };
    run(3, 5, 7);
    const length = localKernels().memory.buffer.byteLength;
    run(300, 2100, 500);
    run(1, 1, 1);
    expect(localKernels().memory.buffer.byteLength).toBe(length);
  });

  it('does not grow on a repeated gemmParallel, and gets back all it lends', async () => {
    const pool = WorkerPool.create(2);
    try {
      const rng = new Rng(2);
      const [m, n, k] = [64, 300, 500];
      const a = allocateShared('float32', m * k);
      const b = allocateShared('float32', k * n);
      a.set(randomArray(rng, a.length));
      b.set(randomArray(rng, b.length));
      const c = allocateShared('float32', m * n);
      await gemmParallel(pool, false, false, m, n, k, 1, a, k, b, n, 0, c, n);
      const kernels = localKernels();
      const length = kernels.memory.buffer.byteLength;
      await gemmParallel(pool, false, false, m, n, k, 1, a, k, b, n, 0, c, n);
      expect(kernels.memory.buffer.byteLength).toBe(length);
      // Everything lent to the workers is free again: it can all be had at once without growing.
      const lent = 2 * WASM_GEMM_WORKSPACE_BYTES + packedBFloats(k, n) * 4;
      const offset = kernels.allocate(lent);
      expect(offset).toBeGreaterThanOrEqual(0);
      kernels.release(offset, lent);
      expect(kernels.memory.buffer.byteLength).toBe(length);
    } finally {
      await pool.close();
    }
  });
});

describe('gemmBlockWasm (the worker side of gemmParallel)', () => {
  it('gives gemm’s result bit for bit, with B packed once beforehand or panel by panel', () => {
    const rng = new Rng(3);
    const [m, n, k] = [29, 2061, 801];
    for (const [transA, transB] of [
      [false, false],
      [true, true],
    ] as const) {
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const lda = transA ? m : k;
      const ldb = transB ? k : n;
      const initial = randomArray(rng, m * n);
      const expected = initial.slice();
      gemm(transA, transB, m, n, k, -0.5, a, lda, b, ldb, 2, expected, n);

      const kernels = localKernels();
      const workspace = kernels.allocate(WASM_GEMM_WORKSPACE_BYTES);
      const packedB = kernels.allocate(packedBFloats(k, n) * 4);
      packAllOfB(kernels, packedB, workspace, transB, k, n, b, ldb);
      const block = { transA, transB, m, n, k, alpha: -0.5, a, lda, b, ldb, beta: 2, ldc: n };
      const memory = kernels.handle();
      for (const packed of [-1, packedB]) {
        const c = initial.slice();
        gemmBlockWasm({ ...block, c, memory, workspace, packedB: packed });
        expect(c).toEqual(expected);
      }
      kernels.release(packedB, packedBFloats(k, n) * 4);
      kernels.release(workspace, WASM_GEMM_WORKSPACE_BYTES);
    }
  });
});
