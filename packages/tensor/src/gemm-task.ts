import { gemm, scaleMatrix } from './gemm.js';
import { gemmWasm } from './gemm-wasm.js';
import { attachKernels, type SharedKernelsHandle } from './wasm/kernels.js';

/** The arguments of one {@link gemm} call, as sent to a pool worker by `gemmParallel`. */
export interface GemmBlock {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  ldb: number;
  beta: number;
  c: Float32Array;
  ldc: number;
}

/** Pool task: runs GEMM on one block of rows of C (which is shared memory, so nothing is returned). */
export function gemmBlock(block: GemmBlock): void {
  const { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc } = block;
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/**
 * A block of rows for the `wasm-simd` backend on a shared kernels memory: the worker runs the
 * kernels on the calling thread's memory, in the workspace lent to it, reading B from where
 * the calling thread packed it once for every worker (when `packedB` >= 0; `b` is then empty).
 */
export interface WasmGemmBlock extends GemmBlock {
  memory: SharedKernelsHandle;
  /** Byte offset of this worker's GEMM workspace in `memory`. */
  workspace: number;
  /** Byte offset of all of op(B), packed; -1 when the worker packs B itself. */
  packedB: number;
}

/** Pool task: {@link gemmBlock} on the `wasm-simd` backend, in a shared kernels memory. */
export function gemmBlockWasm(block: WasmGemmBlock): void {
  const { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc } = block;
  scaleMatrix(m, n, beta, c, ldc);
  if (m === 0 || n === 0 || alpha === 0 || k === 0) return;
  const kernels = attachKernels(block.memory);
  gemmWasm(kernels, block.workspace, block.packedB, transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc); // prettier-ignore
}
