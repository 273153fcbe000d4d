/**
 * The baseline every GEMM is compared with: C = A * B by the textbook i-k-j loop over
 * contiguous row-major Float32Arrays (A is m x k, B is k x n, C is m x n). The innermost loop
 * runs along rows of B and C with unit stride, which is the best a loop without blocking or
 * register tiling can do.
 */
export function naiveGemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): void {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
    }
  }
}
