/**
 * The SIMD micro-kernel of the `wasm-simd` GEMM (src/gemm-wasm.ts), in AssemblyScript: a
 * 4 x 8 block of C += (a 4 x kc sliver of packed A) * (a kc x 8 sliver of packed B).
 *
 * Everything else of the GEMM (the five BLIS loops, packing, edges, alpha and beta) stays in
 * TypeScript; this is the one loop where almost all the time goes. Per step p it does what the
 * JavaScript micro-kernel does (src/gemm.ts), four lanes at a time:
 *
 * ```
 *   b0, b1 = B[p, 0:4], B[p, 4:8]            two 128-bit loads
 *   for r in 0..3:  a = splat(A[r, p])       one 32-bit load, broadcast to the 4 lanes
 *                   c[r][0] += a * b0        f32x4 multiply, then f32x4 add
 *                   c[r][1] += a * b1
 * ```
 *
 * Registers: the 4 x 8 tile is 8 f32x4 accumulators, plus 2 for the B row and 1 for the
 * broadcast A value: 11 of the 16 vector registers of x86-64 (SSE/AVX xmm0-15; arm64 has 32).
 * A 6 x 8 tile (12 + 2 + 1 = 15) leaves V8's register allocator no room and measured slower;
 * 8 x 8 (16 + 3) would spill. Each step loads 2 vectors and 4 scalars for 8 vector multiplies
 * and 8 vector adds (64 flops).
 *
 * There is no fused multiply-add in WebAssembly SIMD (relaxed-simd's `relaxed_madd` may or may
 * not fuse, depending on the machine), so every product is rounded to float32 and then added:
 * results are the same on every engine and CPU.
 *
 * Pointers are byte offsets into the module's memory. Packed A: for each p, the 4 values
 * A[0..3, p] (16 bytes). Packed B: for each p, the 8 values B[p, 0..7] (32 bytes). C: 4 rows of
 * 8 values, `ldc` floats apart, read and written whole (the caller pads edge tiles).
 */
export function gemmMicroKernel(kc: i32, a: usize, b: usize, c: usize, ldc: i32): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    a += 16;
    b += 32;
  }
  // C += the tile: the block's sum is rounded once more when it is added, as in the JS kernel.
  const rowBytes = (<usize>ldc) << 2;
  let row = c;
  v128.store(row, f32x4.add(v128.load(row), c00));
  v128.store(row, f32x4.add(v128.load(row, 16), c01), 16);
  row += rowBytes;
  v128.store(row, f32x4.add(v128.load(row), c10));
  v128.store(row, f32x4.add(v128.load(row, 16), c11), 16);
  row += rowBytes;
  v128.store(row, f32x4.add(v128.load(row), c20));
  v128.store(row, f32x4.add(v128.load(row, 16), c21), 16);
  row += rowBytes;
  v128.store(row, f32x4.add(v128.load(row), c30));
  v128.store(row, f32x4.add(v128.load(row, 16), c31), 16);
}
