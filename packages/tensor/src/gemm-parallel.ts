import { ValueError } from './errors.js';
import { checkGemmArguments, gemm, GEMM_MR } from './gemm.js';
import type { GemmBlock } from './gemm-task.js';
import type { WorkerPool } from './pool.js';
import { isShared } from './shared.js';
import { defineTask } from './task.js';

const gemmBlockTask = defineTask(new URL('./gemm-task.js', import.meta.url), 'gemmBlock');

/**
 * {@link gemm} with the rows of C split into one contiguous block per pool thread; each thread
 * runs the single-threaded GEMM on its block. Every element of C is computed by the same
 * sequence of operations as in `gemm`, so the result is identical bit for bit.
 *
 * With more than one thread, C must live in shared memory (`allocateShared`, or
 * `Tensor.zeros(shape, 'float32', { shared: true })`) so the workers' writes are visible here;
 * A and B should too, or each worker receives a copy of them. With `pool.threads === 1` this
 * is `gemm` itself.
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
  await pool.map(gemmBlockTask, inputs);
}
