import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BACKEND_ENV,
  BACKENDS,
  ValueError,
  defineTask,
  gemm,
  getBackend,
  ready,
  setBackend,
  withPool,
} from '@typedlearn/tensor';

const backendName = defineTask(new URL('./fixtures/tasks.js', import.meta.url), 'backendName');

afterEach(() => {
  delete process.env[BACKEND_ENV];
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  setBackend('auto');
});

describe('backend selection', () => {
  it("detects 'wasm-simd' where WebAssembly has SIMD (Node 20)", () => {
    expect(BACKENDS).toEqual(['wasm-simd', 'js']);
    expect(getBackend()).toBe('wasm-simd');
  });

  it('setBackend chooses and getBackend reports; auto detects again', () => {
    setBackend('js');
    expect(getBackend()).toBe('js');
    setBackend('wasm-simd');
    expect(getBackend()).toBe('wasm-simd');
    setBackend('js');
    setBackend('auto');
    expect(getBackend()).toBe('wasm-simd');
  });

  it(`reads ${BACKEND_ENV} when setBackend has not chosen, and setBackend wins over it`, () => {
    process.env[BACKEND_ENV] = 'js';
    setBackend('auto');
    expect(getBackend()).toBe('js');
    setBackend('wasm-simd');
    expect(getBackend()).toBe('wasm-simd');
    process.env[BACKEND_ENV] = 'auto';
    setBackend('auto');
    expect(getBackend()).toBe('wasm-simd');
  });

  it('refuses unknown names with a message naming the accepted ones', () => {
    expect(() => setBackend('gpu' as never)).toThrow(ValueError);
    expect(() => setBackend('gpu' as never)).toThrow(
      `setBackend: the backend must be one of 'wasm-simd', 'js' or 'auto', got "gpu"`,
    );
    process.env[BACKEND_ENV] = 'wasm';
    setBackend('auto');
    expect(() => getBackend()).toThrow(
      `the environment variable ${BACKEND_ENV} must be one of 'wasm-simd', 'js' or 'auto', got "wasm"`,
    );
    // The kernels refuse to run rather than pick a backend behind the user's back.
    const x = new Float32Array(4);
    expect(() => gemm(false, false, 2, 2, 2, 1, x, 2, x, 2, 0, x, 2)).toThrow(ValueError);
  });

  it('ready() resolves to the backend, once it can run', async () => {
    expect(await ready()).toBe('wasm-simd');
    setBackend('js');
    expect(await ready()).toBe('js');
  });

  it('hands the calling thread’s backend to pool workers with every task', async () => {
    await withPool(2, async (pool) => {
      for (const backend of BACKENDS) {
        setBackend(backend);
        expect(await pool.map(backendName, [1, 2, 3, 4])).toEqual([
          backend,
          backend,
          backend,
          backend,
        ]);
      }
    });
  });
});

describe('without WebAssembly SIMD', () => {
  /** A fresh copy of the package's modules, which detect SIMD again on first use. */
  async function freshTensor(): Promise<typeof import('../src/index.js')> {
    vi.resetModules();
    return import('../src/index.js');
  }

  it("falls back to 'js' silently, and refuses an explicit 'wasm-simd'", async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    const tensor = await freshTensor();
    expect(tensor.getBackend()).toBe('js');
    expect(await tensor.ready()).toBe('js');
    expect(() => tensor.setBackend('wasm-simd')).toThrow(tensor.TypedlearnError);
    expect(() => tensor.setBackend('wasm-simd')).toThrow(
      "setBackend asks for 'wasm-simd', but this platform has no WebAssembly SIMD; use 'js'",
    );
    process.env[BACKEND_ENV] = 'wasm-simd';
    tensor.setBackend('auto');
    expect(() => tensor.getBackend()).toThrow(
      `the environment variable ${BACKEND_ENV} asks for 'wasm-simd', but this platform has no WebAssembly SIMD`,
    );
    delete process.env[BACKEND_ENV];
    tensor.setBackend('auto');
    const c = new Float32Array(1);
    tensor.gemm(false, false, 1, 1, 1, 1, Float32Array.of(2), 1, Float32Array.of(3), 1, 0, c, 1);
    expect(c[0]).toBe(6);
  });

  it("falls back to 'js' where there is no WebAssembly at all", async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const tensor = await freshTensor();
    expect(tensor.getBackend()).toBe('js');
  });
});
