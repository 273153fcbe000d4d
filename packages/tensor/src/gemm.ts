import { activeWasmKernels } from './backend.js';
import { DTypeError, ShapeError, ValueError, describeValue } from './errors.js';
import { gemmWasm, localGemmWorkspace, smallGemmWasm } from './gemm-wasm.js';

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
 *
 * This file is the `'js'` backend, the reference; the `'wasm-simd'` backend (gemm-wasm.ts) runs
 * the same loops around a WebAssembly SIMD micro-kernel. {@link gemm} checks the arguments,
 * applies beta, and hands the product to the active backend (backend.ts).
 */

/** Rows of C computed by one micro-kernel call. */
export const GEMM_MR = 4;
/** Columns of C computed by one micro-kernel call. */
export const GEMM_NR = 4;
/** Depth of one packed block (shared dimension k). */
const KC = 256;
/** Rows of A packed at a time. */
const MC = 128;
/** Columns of B packed at a time. */
const NC = 2048;

/**
 * Packing buffers, allocated on first use and reused by every later call on this thread.
 *
 * They are plain arrays of doubles rather than typed arrays: V8 stores such an array's
 * elements unboxed (PACKED_DOUBLE_ELEMENTS) and loads one with fewer instructions than a
 * typed-array element (no external-pointer arithmetic, no float32 -> float64 conversion), and
 * the micro-kernel's loop is mostly loads. `pnpm bench:gemm` measured this layout fastest.
 */
let packedA: number[] = [];
let packedB: number[] = [];
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
 *
 * Runs on the active backend (`getBackend()`). With `'js'`, each element of C is the float64
 * sum of its k products, rounded to float32 once per block of KC = 256 terms; with
 * `'wasm-simd'`, a float32 sum. Either way the order of the sum for each element is fixed, so
 * results do not depend on how the rows of C are split between threads.
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
  const kernels = activeWasmKernels();
  if (kernels === undefined) {
    gemmJs(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
  } else {
    const workspace = localGemmWorkspace(kernels);
    if (
      !smallGemmWasm(kernels, workspace, transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
    ) {
      gemmWasm(kernels, workspace, -1, transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    }
  }
}

/** The `'js'` backend: C += alpha * op(A) * op(B), the five loops around {@link microKernel}. */
function gemmJs(
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
 * stored row by row), a sum of kc rank-1 updates. The 4 x 4 accumulators are locals, so the
 * JIT keeps them in registers, and each of the 8 values loaded per step is used 4 times.
 * (Larger tiles load less per multiply but run out of the 16 x86-64 vector registers and
 * spill; on V8 they measured no faster.)
 */
function microKernel(
  kc: number,
  a: number[],
  aStart: number,
  b: number[],
  bStart: number,
  out: Float64Array,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0; // prettier-ignore
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0; // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0; // prettier-ignore
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0; // prettier-ignore
  let ai = aStart;
  let bi = bStart;
  for (let p = 0; p < kc; p++) {
    const a0 = a[ai];
    const a1 = a[ai + 1];
    const a2 = a[ai + 2];
    const a3 = a[ai + 3];
    const b0 = b[bi];
    const b1 = b[bi + 1];
    const b2 = b[bi + 2];
    const b3 = b[bi + 3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    ai += GEMM_MR;
    bi += GEMM_NR;
  }
  out[0] = c00;
  out[1] = c01;
  out[2] = c02;
  out[3] = c03;
  out[4] = c10;
  out[5] = c11;
  out[6] = c12;
  out[7] = c13;
  out[8] = c20;
  out[9] = c21;
  out[10] = c22;
  out[11] = c23;
  out[12] = c30;
  out[13] = c31;
  out[14] = c32;
  out[15] = c33;
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
 * Whole slivers take an unrolled path with no per-element edge test: when n is small (say 10
 * classes) each packed element serves few multiplies, and packing is a visible share of the time.
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
  out: number[],
): void {
  // op(A)[i, p] lives at a[i * rowStep + p * colStep].
  const rowStep = transA ? 1 : lda;
  const colStep = transA ? lda : 1;
  let o = 0;
  for (let ir = 0; ir < mc; ir += GEMM_MR) {
    const rows = Math.min(GEMM_MR, mc - ir);
    const base = (ic + ir) * rowStep + pc * colStep;
    if (rows === GEMM_MR) {
      const r1 = base + rowStep;
      const r2 = r1 + rowStep;
      const r3 = r2 + rowStep;
      for (let p = 0, at = 0; p < kc; p++, at += colStep, o += GEMM_MR) {
        out[o] = alpha * a[base + at];
        out[o + 1] = alpha * a[r1 + at];
        out[o + 2] = alpha * a[r2 + at];
        out[o + 3] = alpha * a[r3 + at];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const at = base + p * colStep;
        for (let r = 0; r < GEMM_MR; r++) out[o++] = r < rows ? alpha * a[at + r * rowStep] : 0;
      }
    }
  }
}

/**
 * Packs op(B)[pc:pc+kc, jc:jc+nc] into slivers of NR columns: sliver s holds, for each p in
 * 0..kc, the NR values op(B)[pc + p, jc + s*NR + j] next to each other (zeros past column nc).
 * Whole slivers take an unrolled path, as in {@link packA}.
 */
function packB(
  transB: boolean,
  b: Float32Array,
  ldb: number,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
  out: number[],
): void {
  // op(B)[p, j] lives at b[p * rowStep + j * colStep].
  const rowStep = transB ? 1 : ldb;
  const colStep = transB ? ldb : 1;
  let o = 0;
  for (let jr = 0; jr < nc; jr += GEMM_NR) {
    const cols = Math.min(GEMM_NR, nc - jr);
    const base = pc * rowStep + (jc + jr) * colStep;
    if (cols === GEMM_NR) {
      const c1 = base + colStep;
      const c2 = c1 + colStep;
      const c3 = c2 + colStep;
      for (let p = 0, at = 0; p < kc; p++, at += rowStep, o += GEMM_NR) {
        out[o] = b[base + at];
        out[o + 1] = b[c1 + at];
        out[o + 2] = b[c2 + at];
        out[o + 3] = b[c3 + at];
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const at = base + p * rowStep;
        for (let j = 0; j < GEMM_NR; j++) out[o++] = j < cols ? b[at + j * colStep] : 0;
      }
    }
  }
}

/** C = beta * C over the m x n matrix with row stride ldc; beta = 0 writes zeros. */
export function scaleMatrix(
  m: number,
  n: number,
  beta: number,
  c: Float32Array,
  ldc: number,
): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

function ensurePackingBuffers(): void {
  if (packedA.length === 0) {
    packedA = doubleArray(MC * KC);
    packedB = doubleArray(KC * roundUp(NC, GEMM_NR));
  }
}

/** A plain array of `length` doubles in V8's unboxed PACKED_DOUBLE_ELEMENTS form. */
function doubleArray(length: number): number[] {
  return Array.from({ length }, () => 0.5);
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
