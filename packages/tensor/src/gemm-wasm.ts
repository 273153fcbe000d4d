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
 * Packing is split at the same line: the caller's arrays lie outside the WebAssembly memory,
 * so TypeScript copies the block's rows in as they are (a memcpy per row, into a staging area
 * of the workspace) and knows about transposes, strides and edges (zero padding); SIMD kernels
 * (assembly/gemm-pack.ts) then rearrange the staged rows into slivers a vector at a time. Done
 * element by element in TypeScript, packing took 11% of a 1024^3 product; this way, 5%.
 * Packing is O(mk + kn) against the kernel's O(mnk), and the calls into WebAssembly per
 * 4 x 8 tile measured no slower than running the two inner loops inside it.
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
 * Depth of one packed block: a B sliver (KC x NR float32s, 16 KiB) stays in L1 beside the A
 * sliver streaming past (8 KiB). Deeper than the JS GEMM's 256 because float32s take half the
 * space of its doubles; each block of C is copied in and out once per KC terms, so deeper
 * blocks also copy less.
 */
const KC = 512;
/** Rows of A packed at a time: the packed A block (MC x KC, 256 KiB) stays in L2. */
const MC = 128;
/** Columns of B packed at a time: the packed B panel (KC x NC, 4 MiB) stays in L3. */
const NC = 2048;

/** Float32s of the staging area the packing copies rows into: 8 rows of the longest. */
const STAGE_FLOATS = 8 * Math.max(KC, NC);
/**
 * Float32s of one thread's workspace: a packed A block, a packed B panel, a block of C, and the
 * packing's staging area.
 */
const WORKSPACE_FLOATS = MC * KC + KC * NC + MC * NC + STAGE_FLOATS;
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

/** The largest m n k that {@link smallGemmWasm} takes: below it, packing costs more than it saves. */
const SMALL_GEMM_WORK = 1 << 20;

/**
 * C += alpha * op(A) * op(B) by the `smallGemm` kernel (assembly/small-gemm.ts), without
 * packing A or copying C, when the product is small (m n k at most {@link SMALL_GEMM_WORK}, k
 * at most {@link KC}) and A and C lie in the kernels memory, as a network's arrays do; false,
 * having done nothing, otherwise. op(B) is copied into the workspace's B panel (k rows of n
 * floats, zero-padded to a multiple of 16). Each element of C gets the same bits as from
 * {@link gemmWasm}: the same float32 sum, in the same order.
 */
export function smallGemmWasm(
  kernels: WasmKernels,
  workspace: number,
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
): boolean {
  const width = roundUp(n, 16);
  if (m * n * k > SMALL_GEMM_WORK || k > KC || k * width > KC * NC) return false;
  const aAt = kernels.offsetOf(a);
  const cAt = kernels.offsetOf(c);
  if (aAt < 0 || cAt < 0) return false;
  const memory = kernels.floats();
  const bPanel = workspace / 4 + MC * KC;
  for (let p = 0; p < k; p++) {
    const row = bPanel + p * width;
    if (transB) for (let j = 0; j < n; j++) memory[row + j] = b[j * ldb + p];
    else memory.set(b.subarray(p * ldb, p * ldb + n), row);
    memory.fill(0, row + n, row + width);
  }
  // op(A)[i, p] is a[i * lda + p], or a[p * lda + i] when A is stored transposed.
  kernels.exports.smallGemm(m, n, k, alpha, aAt, transA ? 1 : lda, transA ? lda : 1, bPanel * 4, width, cAt, ldc); // prettier-ignore
  return true;
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
  // Float32 offsets of the workspace's four buffers.
  const aBlock = workspace / 4;
  const bPanel = aBlock + MC * KC;
  const cBlock = bPanel + KC * NC;
  const stage = cBlock + MC * NC;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncPadded = roundUp(nc, WASM_GEMM_NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      let bAt = bPanel;
      if (packedB < 0) packB(kernels, stage, transB, b, ldb, pc, jc, kc, nc, bPanel);
      else bAt = packedB / 4 + jc * k + pc * ncPadded;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mcPadded = roundUp(mc, WASM_GEMM_MR);
        packA(kernels, stage, transA, a, lda, ic, pc, mc, kc, alpha, aBlock);
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
 * `packedB`. Lets pool workers share one packed B instead of each packing its own. `workspace`
 * is the byte offset of a GEMM workspace whose staging area the packing may use.
 */
export function packAllOfB(
  kernels: WasmKernels,
  at: number,
  workspace: number,
  transB: boolean,
  k: number,
  n: number,
  b: Float32Array,
  ldb: number,
): void {
  const stage = workspace / 4 + WORKSPACE_FLOATS - STAGE_FLOATS;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncPadded = roundUp(nc, WASM_GEMM_NR);
    for (let pc = 0; pc < k; pc += KC) {
      const out = at / 4 + jc * k + pc * ncPadded;
      packB(kernels, stage, transB, b, ldb, pc, jc, Math.min(KC, k - pc), nc, out);
    }
  }
}

/**
 * Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] at float `out` of the memory in slivers of MR rows:
 * sliver s holds, for each p in 0..kc, the MR values op(A)[ic + s*MR + r, pc + p] side by side
 * (zeros past row mc).
 */
function packA(
  kernels: WasmKernels,
  stage: number,
  transA: boolean,
  a: Float32Array,
  lda: number,
  ic: number,
  pc: number,
  mc: number,
  kc: number,
  alpha: number,
  out: number,
): void {
  // op(A)[i, p] is a[p * lda + i] when A is stored transposed: its rows are steps p.
  if (transA) packByCutting(kernels, stage, a, lda, pc, ic, kc, mc, WASM_GEMM_MR, alpha, out);
  else packByInterleaving(kernels, stage, a, lda, ic, pc, mc, kc, WASM_GEMM_MR, alpha, out);
}

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] at float `out` of the memory in slivers of NR columns: sliver
 * s holds, for each p in 0..kc, the NR values op(B)[pc + p, jc + s*NR + j] side by side (zeros
 * past column nc).
 */
function packB(
  kernels: WasmKernels,
  stage: number,
  transB: boolean,
  b: Float32Array,
  ldb: number,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
  out: number,
): void {
  // op(B)[p, j] is b[j * ldb + p] when B is stored transposed: its rows are lanes j.
  if (transB) packByInterleaving(kernels, stage, b, ldb, jc, pc, nc, kc, WASM_GEMM_NR, 1, out);
  else packByCutting(kernels, stage, b, ldb, pc, jc, kc, nc, WASM_GEMM_NR, 1, out);
}

/**
 * Packs `steps` x `lanes` values whose steps are the rows of `source` (step p, lane j at
 * source[(firstStep + p) * ld + firstLane + j]) into slivers of `width` lanes at float `out`:
 * the rows are staged a chunk at a time, zero-padded to whole slivers, then cut (`packCut`).
 */
function packByCutting(
  kernels: WasmKernels,
  stage: number,
  source: Float32Array,
  ld: number,
  firstStep: number,
  firstLane: number,
  steps: number,
  lanes: number,
  width: number,
  scale: number,
  out: number,
): void {
  const memory = kernels.floats();
  const pieces = Math.ceil(lanes / width);
  const rowFloats = pieces * width;
  const rowsPerChunk = Math.floor(STAGE_FLOATS / rowFloats);
  for (let p0 = 0; p0 < steps; p0 += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, steps - p0);
    for (let r = 0; r < rows; r++) {
      const from = (firstStep + p0 + r) * ld + firstLane;
      const to = stage + r * rowFloats;
      memory.set(source.subarray(from, from + lanes), to);
      if (rowFloats > lanes) memory.fill(0, to + lanes, to + rowFloats);
    }
    kernels.exports.packCut(stage * 4, rows, rowFloats, pieces, width, steps * width, p0, scale, out * 4); // prettier-ignore
  }
}

/**
 * Packs `steps` x `lanes` values whose lanes are the rows of `source` (lane j, step p at
 * source[(firstLane + j) * ld + firstStep + p]) into slivers of `width` lanes at float `out`:
 * each sliver's rows are staged (zero rows past `lanes`), then interleaved (`packInterleaved`).
 */
function packByInterleaving(
  kernels: WasmKernels,
  stage: number,
  source: Float32Array,
  ld: number,
  firstLane: number,
  firstStep: number,
  lanes: number,
  steps: number,
  width: number,
  scale: number,
  out: number,
): void {
  const memory = kernels.floats();
  for (let j0 = 0; j0 < lanes; j0 += width) {
    const rows = Math.min(width, lanes - j0);
    for (let r = 0; r < rows; r++) {
      const from = (firstLane + j0 + r) * ld + firstStep;
      memory.set(source.subarray(from, from + steps), stage + r * steps);
    }
    if (rows < width) memory.fill(0, stage + rows * steps, stage + width * steps);
    kernels.exports.packInterleaved(stage * 4, steps, steps, width, scale, (out + j0 * steps) * 4); // prettier-ignore
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
