import { gemm } from './gemm.js';

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
