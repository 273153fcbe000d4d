import { DTypeError, ShapeError, ValueError, describeValue } from './errors.js';

/**
 * General matrix multiply, C = alpha * op(A) * op(B) + beta * C, on row-major Float32Arrays.
 *
 * The structure is the one of GotoBLAS and BLIS (Goto & van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 2008; Van Zee & van de Geijn, "BLIS: a
 * framework for rapidly instantiating BLAS functionality", ACM TOMS 2015): five loops around a
 * micro-kernel.
 *
 * ```
 * for jc in steps of NC over n          (a column panel of B and C)
 *   for pc in steps of KC over k        (pack B[pc:pc+KC, jc:jc+NC] into slivers of NR columns)
 *     for ic in steps of MC over m      (pack alpha * A[ic:ic+MC, pc:pc+KC] into slivers of MR rows)
 *       for jr in steps of NR           (one B sliver, KC x NR, stays in L1)
 *         for ir in steps of MR         (one A sliver, MR x KC)
 *           micro-kernel: an MR x NR block of C += A sliver * B sliver, in registers
 * ```
 *
 * Packing copies each block once into the exact order the micro-kernel reads it, contiguous
 * and zero-padded to whole slivers, so the kernel streams through memory with unit stride
 * whatever the transposes, strides and edges of the inputs. The packed A block (MC x KC) is
 * sized for the L2 cache, the packed B panel (KC x NC) for L3, and one B sliver (KC x NR) for L1.
 */

/** Rows of C computed by one micro-kernel call. */
export const GEMM_MR = 4;
/** Columns of C computed by one micro-kernel call. */
export const GEMM_NR = 8;
/** Depth of one packed block (shared dimension k). */
const KC = 256;
/** Rows of A packed at a time. */
const MC = 128;
/** Columns of B packed at a time. */
const NC = 2048;

/** Packing buffers, allocated on first use and reused by every later call on this thread. */
let packedA = new Float32Array(0);
let packedB = new Float32Array(0);
/** The micro-kernel's output, an MR x NR block in row-major order. */
const tile = new Float64Array(GEMM_MR * GEMM_NR);

/**
 * C = alpha * op(A) * op(B) + beta * C for row-major Float32Arrays (the BLAS `sgemm` contract).
 *
 * op(A) is m x k and op(B) is k x n. `lda`, `ldb`, `ldc` are the row strides of the matrices
 * as STORED: A is stored m x k (or k x m when `transA`), B is stored k x n (or n x k when
 * `transB`), C is m x n; a stride may exceed the row length, so sub-matrices are addressed by
 * passing `array.subarray(offset)` and the parent's stride. When `beta` is 0, C is not read
 * (NaN in C does not propagate). A, B and C must not overlap.
 */
export function gemm(
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
): void {
  checkGemmArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
  if (m === 0 || n === 0) return;
  scaleMatrix(m, n, beta, c, ldc);
  if (alpha === 0 || k === 0) return;
  ensurePackingBuffers();

  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(transB, b, ldb, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(transA, a, lda, ic, pc, mc, kc, alpha, packedA);
        multiplyPackedBlock(mc, nc, kc, c, ic * ldc + jc, ldc);
      }
    }
  }
}

/**
 * C[cStart..] += packedA (mc x kc) * packedB (kc x nc): the two innermost loops, one
 * micro-kernel call per MR x NR block of C.
 */
function multiplyPackedBlock(
  mc: number,
  nc: number,
  kc: number,
  c: Float32Array,
  cStart: number,
  ldc: number,
): void {
  for (let jr = 0; jr < nc; jr += GEMM_NR) {
    const cols = Math.min(GEMM_NR, nc - jr);
    const bSliver = jr * kc;
    for (let ir = 0; ir < mc; ir += GEMM_MR) {
      const rows = Math.min(GEMM_MR, mc - ir);
      microKernel(kc, packedA, ir * kc, packedB, bSliver, tile);
      addTile(rows, cols, tile, c, cStart + ir * ldc + jr, ldc);
    }
  }
}

/**
 * The micro-kernel: tile = A sliver (MR x kc, stored column by column) * B sliver (kc x NR,
 * stored row by row), a sum of kc rank-1 updates. The 4 x 8 accumulators are locals, so the
 * JIT keeps them in registers (or, beyond 16 of them, in the stack frame next to them) and
 * every value loaded from memory is used MR or NR times.
 */
function microKernel(
  kc: number,
  a: Float32Array,
  aStart: number,
  b: Float32Array,
  bStart: number,
  out: Float64Array,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c04 = 0,
    c05 = 0,
    c06 = 0,
    c07 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0,
    c14 = 0,
    c15 = 0,
    c16 = 0,
    c17 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c24 = 0,
    c25 = 0,
    c26 = 0,
    c27 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0,
    c34 = 0,
    c35 = 0,
    c36 = 0,
    c37 = 0;
  let ai = aStart;
  let bi = bStart;
  for (let p = 0; p < kc; p++) {
    const a0 = a[ai],
      a1 = a[ai + 1],
      a2 = a[ai + 2],
      a3 = a[ai + 3];
    let bj = b[bi];
    c00 += a0 * bj;
    c10 += a1 * bj;
    c20 += a2 * bj;
    c30 += a3 * bj;
    bj = b[bi + 1];
    c01 += a0 * bj;
    c11 += a1 * bj;
    c21 += a2 * bj;
    c31 += a3 * bj;
    bj = b[bi + 2];
    c02 += a0 * bj;
    c12 += a1 * bj;
    c22 += a2 * bj;
    c32 += a3 * bj;
    bj = b[bi + 3];
    c03 += a0 * bj;
    c13 += a1 * bj;
    c23 += a2 * bj;
    c33 += a3 * bj;
    bj = b[bi + 4];
    c04 += a0 * bj;
    c14 += a1 * bj;
    c24 += a2 * bj;
    c34 += a3 * bj;
    bj = b[bi + 5];
    c05 += a0 * bj;
    c15 += a1 * bj;
    c25 += a2 * bj;
    c35 += a3 * bj;
    bj = b[bi + 6];
    c06 += a0 * bj;
    c16 += a1 * bj;
    c26 += a2 * bj;
    c36 += a3 * bj;
    bj = b[bi + 7];
    c07 += a0 * bj;
    c17 += a1 * bj;
    c27 += a2 * bj;
    c37 += a3 * bj;
    ai += GEMM_MR;
    bi += GEMM_NR;
  }
  out[0] = c00;
  out[1] = c01;
  out[2] = c02;
  out[3] = c03;
  out[4] = c04;
  out[5] = c05;
  out[6] = c06;
  out[7] = c07;
  out[8] = c10;
  out[9] = c11;
  out[10] = c12;
  out[11] = c13;
  out[12] = c14;
  out[13] = c15;
  out[14] = c16;
  out[15] = c17;
  out[16] = c20;
  out[17] = c21;
  out[18] = c22;
  out[19] = c23;
  out[20] = c24;
  out[21] = c25;
  out[22] = c26;
  out[23] = c27;
  out[24] = c30;
  out[25] = c31;
  out[26] = c32;
  out[27] = c33;
  out[28] = c34;
  out[29] = c35;
  out[30] = c36;
  out[31] = c37;
}

/** C[cStart..] += the top-left rows x cols corner of the tile (smaller at the edges of C). */
function addTile(
  rows: number,
  cols: number,
  source: Float64Array,
  c: Float32Array,
  cStart: number,
  ldc: number,
): void {
  for (let i = 0; i < rows; i++) {
    const row = cStart + i * ldc;
    const t = i * GEMM_NR;
    for (let j = 0; j < cols; j++) c[row + j] += source[t + j];
  }
}

/**
 * Packs alpha * op(A)[ic:ic+mc, pc:pc+kc] into slivers of MR rows: sliver s holds, for each
 * p in 0..kc, the MR values op(A)[ic + s*MR + r, pc + p] next to each other (zeros past row mc).
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
): void {
  // op(A)[i, p] lives at a[i * rowStep + p * colStep].
  const rowStep = transA ? 1 : lda;
  const colStep = transA ? lda : 1;
  let o = 0;
  for (let ir = 0; ir < mc; ir += GEMM_MR) {
    const rows = Math.min(GEMM_MR, mc - ir);
    const base = (ic + ir) * rowStep + pc * colStep;
    for (let p = 0; p < kc; p++) {
      const at = base + p * colStep;
      for (let r = 0; r < GEMM_MR; r++) out[o++] = r < rows ? alpha * a[at + r * rowStep] : 0;
    }
  }
}

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] into slivers of NR columns: sliver s holds, for each p in
 * 0..kc, the NR values op(B)[pc + p, jc + s*NR + j] next to each other (zeros past column nc).
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
): void {
  // op(B)[p, j] lives at b[p * rowStep + j * colStep].
  const rowStep = transB ? 1 : ldb;
  const colStep = transB ? ldb : 1;
  let o = 0;
  for (let jr = 0; jr < nc; jr += GEMM_NR) {
    const cols = Math.min(GEMM_NR, nc - jr);
    const base = pc * rowStep + (jc + jr) * colStep;
    for (let p = 0; p < kc; p++) {
      const at = base + p * rowStep;
      for (let j = 0; j < GEMM_NR; j++) out[o++] = j < cols ? b[at + j * colStep] : 0;
    }
  }
}

/** C = beta * C over the m x n matrix with row stride ldc; beta = 0 writes zeros. */
function scaleMatrix(m: number, n: number, beta: number, c: Float32Array, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

function ensurePackingBuffers(): void {
  if (packedA.length === 0) {
    packedA = new Float32Array(MC * KC);
    packedB = new Float32Array(KC * roundUp(NC, GEMM_NR));
  }
}

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}

/**
 * Validates the sgemm arguments: non-negative integer sizes, strides at least the stored row
 * length, and arrays long enough to hold every element the call touches.
 */
export function checkGemmArguments(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  c: Float32Array,
  ldc: number,
): void {
  for (const [name, value] of [
    ['m', m],
    ['n', n],
    ['k', k],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new ValueError(`gemm: ${name} must be a non-negative integer, got ${value}`);
    }
  }
  checkStoredMatrix('A', a, transA ? k : m, transA ? m : k, lda);
  checkStoredMatrix('B', b, transB ? n : k, transB ? k : n, ldb);
  checkStoredMatrix('C', c, m, n, ldc);
}

function checkStoredMatrix(
  name: string,
  data: Float32Array,
  rows: number,
  cols: number,
  ld: number,
): void {
  if (!(data instanceof Float32Array)) {
    throw new DTypeError(`gemm: ${name} must be a Float32Array, got ${describeValue(data)}`);
  }
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new ShapeError(
      `gemm: the row stride of ${name} (stored ${rows} x ${cols}) must be an integer >= ${Math.max(1, cols)}, got ${ld}`,
    );
  }
  const needed = rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
  if (data.length < needed) {
    throw new ShapeError(
      `gemm: ${name} (stored ${rows} x ${cols}, row stride ${ld}) needs ${needed} elements, got ${data.length}`,
    );
  }
}
