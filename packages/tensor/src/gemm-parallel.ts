import { activeWasmKernels } from './backend.js';
import { ValueError } from './errors.js';
import { checkGemmArguments, gemm, GEMM_MR } from './gemm.js';
import type { GemmBlock, WasmGemmBlock } from './gemm-task.js';
import { packAllOfB, packedBFloats, WASM_GEMM_WORKSPACE_BYTES } from './gemm-wasm.js';
import type { WorkerPool } from './pool.js';
import { isShared } from './shared.js';
import { defineTask } from './task.js';
import type { WasmKernels } from './wasm/kernels.js';

const gemmTaskModule = new URL('./gemm-task.js', import.meta.url);
const gemmBlockTask = defineTask(gemmTaskModule, 'gemmBlock');
const gemmBlockWasmTask = defineTask(gemmTaskModule, 'gemmBlockWasm');

/**
 * {@link gemm} with the rows of C split into one contiguous block per pool thread; each thread
 * runs the single-threaded GEMM on its block. Every element of C is computed by the same
 * sequence of operations as in `gemm`, so the result is identical bit for bit.
 *
 * With more than one thread, C must live in shared memory (`allocateShared`, or
 * `Tensor.zeros(shape, 'float32', { shared: true })`) so the workers' writes are visible here;
 * A and B should too, or each worker receives a copy of them. With `pool.threads === 1` this
 * is `gemm` itself.
 *
 * On the `'wasm-simd'` backend with a shared WebAssembly memory (wherever SharedArrayBuffer
 * exists), this thread packs op(B) once into its kernels memory and lends each worker a
 * workspace there; the workers instantiate the kernels on that same memory, pack their own
 * rows of A and read the one packed B. Otherwise each worker runs `gemm` on its own, with the
 * backend of this thread (the pool passes it on with every task).
 */
export async function gemmParallel(
  pool: WorkerPool,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): Promise<void> {
  checkGemmArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
  const blocks = Math.min(pool.threads, Math.ceil(m / GEMM_MR));
  if (blocks <= 1) {
    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
  if (!isShared(c)) {
    throw new ValueError(
      'gemmParallel: C must be backed by a SharedArrayBuffer (allocateShared or ' +
        'Tensor.zeros(shape, "float32", { shared: true })) so worker threads can write it',
    );
  }
  // Whole micro-kernel rows per block, as even as that allows.
  const rowsPerBlock = Math.ceil(m / blocks / GEMM_MR) * GEMM_MR;
  const inputs: GemmBlock[] = [];
  for (let first = 0; first < m; first += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - first);
    inputs.push({
      transA,
      transB,
      m: rows,
      n,
      k,
      alpha,
      // Row `first` of op(A) starts at element first * lda, or at column `first` when stored transposed.
      a: a.subarray(transA ? first : first * lda),
      lda,
      b,
      ldb,
      beta,
      c: c.subarray(first * ldc),
      ldc,
    });
  }
  const kernels = activeWasmKernels();
  if (kernels?.shared === true && (await runOnSharedKernels(pool, kernels, inputs))) return;
  await pool.map(gemmBlockTask, inputs);
}

/**
 * Runs the blocks on `kernels`' shared memory (see {@link gemmParallel}); false, having done
 * nothing, when the memory cannot hold a workspace per worker. All of op(B) is packed once
 * when it fits too, else each worker packs its panels of B in its workspace.
 */
async function runOnSharedKernels(
  pool: WorkerPool,
  kernels: WasmKernels,
  blocks: GemmBlock[],
): Promise<boolean> {
  const { transB, k, n, alpha, b, ldb } = blocks[0];
  const lent: [offset: number, bytes: number][] = [];
  const lend = (bytes: number): number => {
    const offset = kernels.allocate(bytes);
    if (offset >= 0) lent.push([offset, bytes]);
    return offset;
  };
  let giveBack = true;
  try {
    const workspaces = blocks.map(() => lend(WASM_GEMM_WORKSPACE_BYTES));
    if (workspaces.some((offset) => offset < 0)) return false;
    const needsB = alpha !== 0 && k > 0;
    const packedB = needsB ? lend(packedBFloats(k, n) * 4) : -1;
    if (packedB >= 0) packAllOfB(kernels, packedB, workspaces[0], transB, k, n, b, ldb);
    const memory = kernels.handle();
    const inputs = blocks.map((block, i): WasmGemmBlock => ({
      ...block,
      b: packedB >= 0 ? new Float32Array(0) : block.b,
      memory,
      workspace: workspaces[i],
      packedB,
    }));
    // Wait for every worker, even after a failure, before the workspaces are taken back.
    const settled = await Promise.allSettled(
      inputs.map((input) => pool.run(gemmBlockWasmTask, input)),
    );
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure !== undefined) {
      // A worker may still be writing (a closed pool rejects before its threads stop): better
      // to leave its workspace unused for good than to hand it out again.
      giveBack = false;
      throw failure.reason;
    }
    return true;
  } finally {
    if (giveBack) for (const [offset, bytes] of lent) kernels.release(offset, bytes);
  }
}
