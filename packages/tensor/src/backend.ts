import { TypedlearnError, ValueError } from './errors.js';
import {
  attachedKernels,
  localKernels,
  ownMemoryOf,
  prepareKernels,
  simdSupported,
  type WasmKernels,
} from './wasm/kernels.js';

/**
 * Which implementation runs the numerical kernels that have more than one (today: `gemm`, and
 * through it `matmul` and `gemmParallel`).
 *
 * - `'wasm-simd'`: WebAssembly with 128-bit SIMD, kernels written in AssemblyScript
 *   (packages/tensor/assembly/), the fast path.
 * - `'js'`: plain TypeScript, the reference implementation, and the fallback wherever
 *   WebAssembly or its SIMD extension is missing.
 *
 * The choice, in order: {@link setBackend}; else the environment variable `TYPEDLEARN_BACKEND`
 * (read where `process` exists, i.e. in Node); else `'wasm-simd'` when the engine validates a
 * small SIMD module, `'js'` otherwise. Both backends compute the same thing to float32 rounding,
 * but not bit for bit the same: the JS GEMM sums in float64, the wasm GEMM in float32. Within
 * one backend, results do not depend on the thread count; a `WorkerPool` hands the backend of
 * the calling thread to its workers with every task.
 */
export type Backend = 'wasm-simd' | 'js';

/** The backends, in order of preference. */
export const BACKENDS: readonly Backend[] = Object.freeze(['wasm-simd', 'js']);

/** The environment variable that chooses the backend when {@link setBackend} has not. */
export const BACKEND_ENV = 'TYPEDLEARN_BACKEND';

/** The backend in use, once chosen. */
let active: Backend | undefined;
/** Whether `active` was asked for (setBackend or the environment) rather than detected. */
let requested = false;

/**
 * Chooses the backend for this thread (and, through `WorkerPool`, for the tasks it sends to
 * workers). `'auto'` forgets any earlier choice: the next use reads `TYPEDLEARN_BACKEND` and
 * detects again. Throws a `ValueError` for an unknown name and a `TypedlearnError` when
 * `'wasm-simd'` is asked for on a platform without WebAssembly SIMD.
 */
export function setBackend(name: Backend | 'auto'): void {
  if (name === 'auto') {
    active = undefined;
    requested = false;
    return;
  }
  active = checkedBackend(name, 'setBackend', 'setBackend: the backend');
  requested = true;
}

/** The backend in use, choosing it now if nothing has yet (see {@link Backend}). */
export function getBackend(): Backend {
  if (active === undefined) {
    const fromEnv = environmentValue();
    if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'auto') {
      const variable = `the environment variable ${BACKEND_ENV}`;
      active = checkedBackend(fromEnv, variable, variable);
      requested = true;
    } else {
      active = simdSupported() ? 'wasm-simd' : 'js';
      requested = false;
    }
  }
  return active;
}

/**
 * Resolves once the chosen backend can run, to its name. Node needs nothing of it: the kernels
 * compile synchronously on first use. A browser's main thread may refuse to compile WebAssembly
 * synchronously, so pages should `await ready()` before the first kernel call; if they do not
 * and the engine refuses, a backend that was detected (not asked for) silently becomes `'js'`.
 */
export async function ready(): Promise<Backend> {
  const backend = getBackend();
  if (backend === 'wasm-simd') await prepareKernels();
  return backend;
}

/**
 * This thread's WebAssembly kernels when the backend is `'wasm-simd'`, `undefined` for `'js'`:
 * what a kernel with two implementations calls to choose between them.
 */
export function activeWasmKernels(): WasmKernels | undefined {
  if (getBackend() !== 'wasm-simd') return undefined;
  try {
    return localKernels();
  } catch (error) {
    if (requested) {
      throw new TypedlearnError(
        `the wasm-simd backend cannot start here (${(error as Error).message}); ` +
          `await ready() before the first call, or setBackend('js')`,
      );
    }
    active = 'js';
    return undefined;
  }
}

/**
 * On `'wasm-simd'`, the kernels whose memory holds every array (a `KernelsArena`'s), so that a
 * kernel can work on them in place: this thread's own, in a pool worker those attached to the
 * memory of the thread that handed it the arrays (with the range it lent, see
 * `KernelsArena.lend`), or an instance on a memory of its own (`KernelsArena.ownMemory`);
 * `undefined` otherwise.
 */
export function kernelsHolding(...arrays: ArrayBufferView[]): WasmKernels | undefined {
  const kernels = activeWasmKernels();
  if (kernels === undefined) return undefined;
  if (kernels.holds(...arrays)) return kernels;
  const attached = attachedKernels();
  if (attached?.holds(...arrays) === true) return attached;
  const own = arrays.length > 0 ? ownMemoryOf(arrays[0]) : undefined;
  return own?.holds(...arrays) === true ? own : undefined;
}

/** `name` as a Backend; `who` asked for it, `what` names it in messages. */
function checkedBackend(name: unknown, who: string, what: string): Backend {
  if (!BACKENDS.includes(name as Backend)) {
    throw new ValueError(
      `${what} must be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')} or 'auto', got ${JSON.stringify(name)}`,
    );
  }
  if (name === 'wasm-simd' && !simdSupported()) {
    throw new TypedlearnError(
      `${who} asks for 'wasm-simd', but this platform has no WebAssembly SIMD; use 'js'`,
    );
  }
  return name as Backend;
}

function environmentValue(): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env?.[BACKEND_ENV];
}
