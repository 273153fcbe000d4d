import type { WasmKernels } from './wasm/kernels.js';

/**
 * The `wasm-simd` GEMM: C += alpha * op(A) * op(B) with the micro-kernel in WebAssembly SIMD
 * (assembly/gemm-kernel.ts) and everything around it here, in TypeScript.
 *
 * The loops are the five of gemm.ts (GotoBLAS/BLIS). What changes is where the packed blocks
 * live: in the kernels' WebAssembly memory, as float32, so the micro-kernel reads them with
 * vector loads. C stays in the caller's Float32Array, which WebAssembly cannot address, so each
 * block of C the micro-kernels update is copied into the memory first and back afterwards
 * (`Float32Array.set`, a memcpy per row: one float moved per 2 * KC flops).
 *
 * ```
 * for jc in steps of NC over n
 *   for pc in steps of KC over k
 *     pack B[pc:pc+KC, jc:jc+NC] into the memory           (unless packed beforehand)
 *     for ic in steps of MC over m
 *       pack alpha * A[ic:ic+MC, pc:pc+KC] into the memory
 *       copy C[ic:ic+MC, jc:jc+NC] in
 *       for jr in steps of NR, for ir in steps of MR: gemmMicroKernel  (4 x 8 tile, f32x4)
 *       copy it out
 * ```
 *
 * Why packing stays in TypeScript: it reads the caller's arrays, which live outside the
 * WebAssembly memory, so moving it into the module would first need a copy of A and B there,
 * which is the packing's own cost; and it is the part that knows about transposes, strides and
 * edges, which read most simply in TypeScript. Packing is O(mk + kn) against the kernel's
 * O(mnk), and the calls into WebAssembly per 4 x 8 tile measured no slower than running the
 * two inner loops inside it.
 *
 * Rounding: every product and every partial sum is a float32 (there is no fused multiply-add),
 * summed in the order p = 0, 1, ... within each KC block, then added to C. The order for one
 * element of C does not depend on where its tile sits or how the rows are split between
 * threads, so the result does not either.
 */

/** Rows of C per micro-kernel call. */
export const WASM_GEMM_MR = 4;
/** Columns of C per micro-kernel call (two f32x4 vectors). */
export const WASM_GEMM_NR = 8;
/**
 * Depth of one packed block: a B sliver (KC x NR float32s, 12 KiB) stays in L1. Deeper than
 * the JS GEMM's 256 because float32s take half the space of its doubles; each block of C is
 * copied in and out once per KC terms, so deeper blocks also copy less.
 */
const KC = 384;
/** Rows of A packed at a time: the packed A block (MC x KC, 192 KiB) stays in L2. */
const MC = 128;
/** Columns of B packed at a time: the packed B panel (KC x NC, 3 MiB) stays in L3. */
const NC = 2048;

/** Float32s of one thread's workspace: a packed A block, a packed B panel, a block of C. */
const WORKSPACE_FLOATS = MC * KC + KC * NC + MC * NC;
/** Bytes of one thread's workspace, for {@link WasmKernels.allocate}. */
export const WASM_GEMM_WORKSPACE_BYTES = WORKSPACE_FLOATS * 4;

/** The byte offset of this thread's workspace in its own kernels memory, allocated on first use. */
let localWorkspace: { kernels: WasmKernels; offset: number } | undefined;

/** This thread's GEMM workspace in `kernels` (its own instance), allocated once and kept. */
export function localGemmWorkspace(kernels: WasmKernels): number {
  if (localWorkspace?.kernels !== kernels) {
    const offset = kernels.allocate(WASM_GEMM_WORKSPACE_BYTES);
    if (offset < 0)
      throw new RangeError('cannot allocate the GEMM workspace in WebAssembly memory');
    localWorkspace = { kernels, offset };
  }
  return localWorkspace.offset;
}

/** Float32s that {@link packAllOfB} writes for a k x n op(B). */
export function packedBFloats(k: number, n: number): number {
  return k * roundUp(n, WASM_GEMM_NR);
}

/**
 * C += alpha * op(A) * op(B) (the BLAS arguments of `gemm`, already checked; beta is applied by
 * the caller). `workspace` is the byte offset of a workspace of {@link WASM_GEMM_WORKSPACE_BYTES}
 * in `kernels`' memory. `packedB` is the byte offset of all of op(B) packed by
 * {@link packAllOfB}, or -1 to pack B here, panel by panel.
 */
export function gemmWasm(
  kernels: WasmKernels,
  workspace: number,
  packedB: number,
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
  c: Float32Array,
  ldc: number,
): void {
  const memory = kernels.floats();
  const kernel = kernels.exports.gemmMicroKernel;
  // Float32 offsets of the workspace's three buffers.
  const aBlock = workspace / 4;
  const bPanel = aBlock + MC * KC;
  const cBlock = bPanel + KC * NC;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncPadded = roundUp(nc, WASM_GEMM_NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      let bAt = bPanel;
      if (packedB < 0) packB(transB, b, ldb, pc, jc, kc, nc, memory, bPanel);
      else bAt = packedB / 4 + jc * k + pc * ncPadded;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mcPadded = roundUp(mc, WASM_GEMM_MR);
        packA(transA, a, lda, ic, pc, mc, kc, alpha, memory, aBlock);
        const cStart = ic * ldc + jc;
        copyBlockIn(c, cStart, ldc, mc, nc, memory, cBlock, ncPadded, mcPadded);
        for (let jr = 0; jr < ncPadded; jr += WASM_GEMM_NR) {
          const bSliver = (bAt + jr * kc) * 4;
          for (let ir = 0; ir < mcPadded; ir += WASM_GEMM_MR) {
            kernel(
              kc,
              (aBlock + ir * kc) * 4,
              bSliver,
              (cBlock + ir * ncPadded + jr) * 4,
              ncPadded,
            );
          }
        }
        copyBlockOut(memory, cBlock, ncPadded, mc, nc, c, cStart, ldc);
      }
    }
  }
}

/**
 * Packs all of op(B) (k x n) at byte offset `at`: for each NC-column panel and each KC-row
 * block, the slivers {@link packB} writes, panel after panel. The block (jc, pc) then starts
 * at float `at / 4 + jc * k + pc * roundUp(nc, NR)`, which {@link gemmWasm} reads when given
 * `packedB`. Lets pool workers share one packed B instead of each packing its own.
 */
export function packAllOfB(
  kernels: WasmKernels,
  at: number,
  transB: boolean,
  k: number,
  n: number,
  b: Float32Array,
  ldb: number,
): void {
  const memory = kernels.floats();
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncPadded = roundUp(nc, WASM_GEMM_NR);
    for (let pc = 0; pc < k; pc += KC) {
      packB(
        transB,
        b,
        ldb,
        pc,
        jc,
        Math.min(KC, k - pc),
        nc,
        memory,
        at / 4 + jc * k + pc * ncPadded,
      );
    }
  }
}

/**
 * Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] at float `start` of `out` in slivers of MR rows:
 * sliver s holds, for each p in 0..kc, the MR values op(A)[ic + s*MR + r, pc + p] side by side
 * (zeros past row mc). As in gemm.ts, whole slivers take an unrolled path.
 */
function packA(
  transA: boolean,
  a: Float32Array,
  lda: number,
  ic: number,
  pc: number,
  mc: number,
  kc: number,
  alpha: number,
  out: Float32Array,
  start: number,
): void {
  // op(A)[i, p] lives at a[i * rowStep + p * colStep].
  const rowStep = transA ? 1 : lda;
  const colStep = transA ? lda : 1;
  let o = start;
  for (let ir = 0; ir < mc; ir += WASM_GEMM_MR) {
    const rows = Math.min(WASM_GEMM_MR, mc - ir);
    const base = (ic + ir) * rowStep + pc * colStep;
    if (rows === WASM_GEMM_MR) {
      const r1 = base + rowStep;
      const r2 = r1 + rowStep;
      const r3 = r2 + rowStep;
      for (let p = 0, at = 0; p < kc; p++, at += colStep, o += WASM_GEMM_MR) {
        out[o] = alpha * a[base + at];
        out[o + 1] = alpha * a[r1 + at];
        out[o + 2] = alpha * a[r2 + at];
        out[o + 3] = alpha * a[r3 + at];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const at = base + p * colStep;
        for (let r = 0; r < WASM_GEMM_MR; r++)
          out[o++] = r < rows ? alpha * a[at + r * rowStep] : 0;
      }
    }
  }
}

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] at float `start` of `out` in slivers of NR columns: sliver s
 * holds, for each p in 0..kc, the NR values op(B)[pc + p, jc + s*NR + j] side by side (zeros
 * past column nc).
 */
function packB(
  transB: boolean,
  b: Float32Array,
  ldb: number,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
  out: Float32Array,
  start: number,
): void {
  // op(B)[p, j] lives at b[p * rowStep + j * colStep].
  const rowStep = transB ? 1 : ldb;
  const colStep = transB ? ldb : 1;
  let o = start;
  for (let jr = 0; jr < nc; jr += WASM_GEMM_NR) {
    const cols = Math.min(WASM_GEMM_NR, nc - jr);
    const base = pc * rowStep + (jc + jr) * colStep;
    if (cols === WASM_GEMM_NR) {
      for (let p = 0, at = base; p < kc; p++, at += rowStep, o += WASM_GEMM_NR) {
        out[o] = b[at];
        out[o + 1] = b[at + colStep];
        out[o + 2] = b[at + 2 * colStep];
        out[o + 3] = b[at + 3 * colStep];
        out[o + 4] = b[at + 4 * colStep];
        out[o + 5] = b[at + 5 * colStep];
        out[o + 6] = b[at + 6 * colStep];
        out[o + 7] = b[at + 7 * colStep];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const at = base + p * rowStep;
        for (let j = 0; j < WASM_GEMM_NR; j++) out[o++] = j < cols ? b[at + j * colStep] : 0;
      }
    }
  }
}

/**
 * Copies the mc x nc block of C at `cStart` (row stride ldc) to float `at` of the memory, as
 * rows of `ld` floats, and zero-fills the padding to mcPadded x ld the micro-kernel also writes
 * (so that it never meets leftovers such as subnormals, which are slow).
 */
function copyBlockIn(
  c: Float32Array,
  cStart: number,
  ldc: number,
  mc: number,
  nc: number,
  memory: Float32Array,
  at: number,
  ld: number,
  mcPadded: number,
): void {
  if (ldc === nc && ld === nc) {
    memory.set(c.subarray(cStart, cStart + mc * nc), at);
  } else {
    for (let i = 0; i < mc; i++) {
      const row = cStart + i * ldc;
      memory.set(c.subarray(row, row + nc), at + i * ld);
      if (ld > nc) memory.fill(0, at + i * ld + nc, at + (i + 1) * ld);
    }
  }
  if (mcPadded > mc) memory.fill(0, at + mc * ld, at + mcPadded * ld);
}

/** Copies the mc x nc block at float `at` of the memory (rows of `ld`) back into C. */
function copyBlockOut(
  memory: Float32Array,
  at: number,
  ld: number,
  mc: number,
  nc: number,
  c: Float32Array,
  cStart: number,
  ldc: number,
): void {
  if (ldc === nc && ld === nc) {
    c.set(memory.subarray(at, at + mc * nc), cStart);
    return;
  }
  for (let i = 0; i < mc; i++) {
    const row = at + i * ld;
    c.set(memory.subarray(row, row + nc), cStart + i * ldc);
  }
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}
