/**
 * Sparse-times-dense kernels of the `wasm-simd` backend (src/sparse-rows.ts): products of a
 * matrix in compressed sparse rows (CSR) with a dense one, as the first layer of an MLP and
 * softmax regression need them on MNIST's mostly-zero pixels.
 *
 * Both kernels take selected rows of the CSR matrix X (`rowIds`: `count` int32 row indices) and
 * dense matrices of which they read and write `vectors` vectors per row (the caller pads the
 * columns to whole vectors with zeros, or hands columns that are whole vectors), each with its
 * row stride in vectors (`bStride`, `gStride`, `cStride`), and work on whole vectors of a row
 * at a time:
 *
 * ```
 *   csrTimesDense:           C[r, :] += sum over the nonzeros x_ij of row i = rowIds[r]:  x_ij * B[j, :]
 *   csrTransposeTimesDense:  C[j, :] += sum over r, and the nonzeros x_ij of row i = rowIds[r]:  x_ij * G[r, :]
 * ```
 *
 * The first keeps a block of up to 8 vectors (32 columns) of C's row in registers while the
 * row's nonzeros stream past: per nonzero, one column index, one broadcast value and 8 vector
 * loads of B for 8 multiplies and 8 adds. The second is a scatter: it keeps a block of G's row
 * in registers and, per nonzero, adds x_ij times it to row j of C in memory.
 *
 * Every output element is a float32 sum in a fixed order (the nonzeros of a row in column order;
 * for the transpose, the selected rows in order), a multiply then an add per term (no fused
 * multiply-add), whichever block or lane computes it. So a column's values do not depend on
 * which columns a call covers, and callers may split the columns between threads freely.
 *
 * Each kernel comes in two widths: float32 (f32x4 vectors, `csrTimesDense`...) and float64
 * (f64x2 vectors, `csrTimesDense64`..., each float32 value of X widened exactly), compiled from
 * one generic source.
 *
 * Pointers are byte offsets into the module's memory: `rowStart` (int32, one more than the rows
 * of X), `columns` (int32) and `values` (float32) are X in CSR form.
 */
export function csrTimesDense(
  rowStart: usize,
  columns: usize,
  values: usize,
  rowIds: usize,
  count: i32,
  b: usize,
  bStride: i32,
  c: usize,
  cStride: i32,
  vectors: i32,
): void {
  timesDense<f32>(rowStart, columns, values, rowIds, count, b, bStride, c, cStride, vectors);
}

/** As {@link csrTimesDense}, on float64 B and C. */
export function csrTimesDense64(
  rowStart: usize,
  columns: usize,
  values: usize,
  rowIds: usize,
  count: i32,
  b: usize,
  bStride: i32,
  c: usize,
  cStride: i32,
  vectors: i32,
): void {
  timesDense<f64>(rowStart, columns, values, rowIds, count, b, bStride, c, cStride, vectors);
}

/**
 * C (rows of X's columns) += X[rowIds]^T G, G being `count` rows of `vectors` vectors; only
 * C's rows [from, to) (X's columns in that range), C pointing at row `from`.
 */
export function csrTransposeTimesDense(
  rowStart: usize,
  columns: usize,
  values: usize,
  rowIds: usize,
  count: i32,
  g: usize,
  gStride: i32,
  c: usize,
  cStride: i32,
  vectors: i32,
  from: i32,
  to: i32,
): void {
  transposeTimesDense<f32>(rowStart, columns, values, rowIds, count, g, gStride, c, cStride, vectors, from, to); // prettier-ignore
}

/** As {@link csrTransposeTimesDense}, on float64 G and C. */
export function csrTransposeTimesDense64(
  rowStart: usize,
  columns: usize,
  values: usize,
  rowIds: usize,
  count: i32,
  g: usize,
  gStride: i32,
  c: usize,
  cStride: i32,
  vectors: i32,
  from: i32,
  to: i32,
): void {
  transposeTimesDense<f64>(rowStart, columns, values, rowIds, count, g, gStride, c, cStride, vectors, from, to); // prettier-ignore
}

// Helpers over the lane type T (f32 or f64): `sizeof<T>()` is a compile-time constant, so each
// instance is one instruction, which the optimiser inlines.

/** The value of X at byte `at` (a float32) in every lane of a vector of T. */
function splat<T>(at: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(at);
  return f64x2.splat(<f64>load<f32>(at));
}

function add<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return f32x4.add(a, b);
  return f64x2.add(a, b);
}

function mul<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return f32x4.mul(a, b);
  return f64x2.mul(a, b);
}

function timesDense<T>(
  rowStart: usize,
  columns: usize,
  values: usize,
  rowIds: usize,
  count: i32,
  b: usize,
  bStride: i32,
  c: usize,
  cStride: i32,
  vectors: i32,
): void {
  const rowBytes = (<usize>bStride) << 4;
  const cRowBytes = (<usize>cStride) << 4;
  for (let r = 0; r < count; r++) {
    const i = <usize>load<i32>(rowIds + ((<usize>r) << 2));
    const begin = <usize>load<i32>(rowStart + (i << 2));
    const end = <usize>load<i32>(rowStart + (i << 2), 4);
    const cRow = c + <usize>r * cRowBytes;
    let v = 0;
    for (; v + 8 <= vectors; v += 8) {
      const cAt = cRow + ((<usize>v) << 4);
      const bAt = b + ((<usize>v) << 4);
      let a0 = v128.load(cAt);
      let a1 = v128.load(cAt, 16);
      let a2 = v128.load(cAt, 32);
      let a3 = v128.load(cAt, 48);
      let a4 = v128.load(cAt, 64);
      let a5 = v128.load(cAt, 80);
      let a6 = v128.load(cAt, 96);
      let a7 = v128.load(cAt, 112);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = bAt + <usize>load<i32>(columns + (q << 2)) * rowBytes;
        a0 = add<T>(a0, mul<T>(x, v128.load(row)));
        a1 = add<T>(a1, mul<T>(x, v128.load(row, 16)));
        a2 = add<T>(a2, mul<T>(x, v128.load(row, 32)));
        a3 = add<T>(a3, mul<T>(x, v128.load(row, 48)));
        a4 = add<T>(a4, mul<T>(x, v128.load(row, 64)));
        a5 = add<T>(a5, mul<T>(x, v128.load(row, 80)));
        a6 = add<T>(a6, mul<T>(x, v128.load(row, 96)));
        a7 = add<T>(a7, mul<T>(x, v128.load(row, 112)));
      }
      v128.store(cAt, a0);
      v128.store(cAt, a1, 16);
      v128.store(cAt, a2, 32);
      v128.store(cAt, a3, 48);
      v128.store(cAt, a4, 64);
      v128.store(cAt, a5, 80);
      v128.store(cAt, a6, 96);
      v128.store(cAt, a7, 112);
    }
    // Five vectors left (a float64 row of 10 classes): one pass over the nonzeros, not two.
    if (vectors - v == 5) {
      const cAt = cRow + ((<usize>v) << 4);
      const bAt = b + ((<usize>v) << 4);
      let a0 = v128.load(cAt);
      let a1 = v128.load(cAt, 16);
      let a2 = v128.load(cAt, 32);
      let a3 = v128.load(cAt, 48);
      let a4 = v128.load(cAt, 64);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = bAt + <usize>load<i32>(columns + (q << 2)) * rowBytes;
        a0 = add<T>(a0, mul<T>(x, v128.load(row)));
        a1 = add<T>(a1, mul<T>(x, v128.load(row, 16)));
        a2 = add<T>(a2, mul<T>(x, v128.load(row, 32)));
        a3 = add<T>(a3, mul<T>(x, v128.load(row, 48)));
        a4 = add<T>(a4, mul<T>(x, v128.load(row, 64)));
      }
      v128.store(cAt, a0);
      v128.store(cAt, a1, 16);
      v128.store(cAt, a2, 32);
      v128.store(cAt, a3, 48);
      v128.store(cAt, a4, 64);
      v += 5;
    }
    for (; v + 4 <= vectors; v += 4) {
      const cAt = cRow + ((<usize>v) << 4);
      const bAt = b + ((<usize>v) << 4);
      let a0 = v128.load(cAt);
      let a1 = v128.load(cAt, 16);
      let a2 = v128.load(cAt, 32);
      let a3 = v128.load(cAt, 48);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = bAt + <usize>load<i32>(columns + (q << 2)) * rowBytes;
        a0 = add<T>(a0, mul<T>(x, v128.load(row)));
        a1 = add<T>(a1, mul<T>(x, v128.load(row, 16)));
        a2 = add<T>(a2, mul<T>(x, v128.load(row, 32)));
        a3 = add<T>(a3, mul<T>(x, v128.load(row, 48)));
      }
      v128.store(cAt, a0);
      v128.store(cAt, a1, 16);
      v128.store(cAt, a2, 32);
      v128.store(cAt, a3, 48);
    }
    for (; v < vectors; v++) {
      const cAt = cRow + ((<usize>v) << 4);
      const bAt = b + ((<usize>v) << 4);
      let a0 = v128.load(cAt);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = bAt + <usize>load<i32>(columns + (q << 2)) * rowBytes;
        a0 = add<T>(a0, mul<T>(x, v128.load(row)));
      }
      v128.store(cAt, a0);
    }
  }
}

/** C (rows of X's columns) += X[rowIds]^T G, G being `count` rows of `vectors` vectors: see above. */
function transposeTimesDense<T>(
  rowStart: usize,
  columns: usize,
  values: usize,
  rowIds: usize,
  count: i32,
  g: usize,
  gStride: i32,
  c: usize,
  cStride: i32,
  vectors: i32,
  from: i32,
  to: i32,
): void {
  const gRowBytes = (<usize>gStride) << 4;
  const rowBytes = (<usize>cStride) << 4;
  for (let r = 0; r < count; r++) {
    const i = <usize>load<i32>(rowIds + ((<usize>r) << 2));
    // The row's nonzeros in columns [from, to): its columns ascend.
    let begin = <usize>load<i32>(rowStart + (i << 2));
    let end = <usize>load<i32>(rowStart + (i << 2), 4);
    while (begin < end && load<i32>(columns + (begin << 2)) < from) begin++;
    while (end > begin && load<i32>(columns + ((end - 1) << 2)) >= to) end--;
    const gRow = g + <usize>r * gRowBytes;
    let v = 0;
    for (; v + 8 <= vectors; v += 8) {
      const gAt = gRow + ((<usize>v) << 4);
      const cAt = c + ((<usize>v) << 4);
      const g0 = v128.load(gAt);
      const g1 = v128.load(gAt, 16);
      const g2 = v128.load(gAt, 32);
      const g3 = v128.load(gAt, 48);
      const g4 = v128.load(gAt, 64);
      const g5 = v128.load(gAt, 80);
      const g6 = v128.load(gAt, 96);
      const g7 = v128.load(gAt, 112);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = cAt + <usize>(load<i32>(columns + (q << 2)) - from) * rowBytes;
        v128.store(row, add<T>(v128.load(row), mul<T>(x, g0)));
        v128.store(row, add<T>(v128.load(row, 16), mul<T>(x, g1)), 16);
        v128.store(row, add<T>(v128.load(row, 32), mul<T>(x, g2)), 32);
        v128.store(row, add<T>(v128.load(row, 48), mul<T>(x, g3)), 48);
        v128.store(row, add<T>(v128.load(row, 64), mul<T>(x, g4)), 64);
        v128.store(row, add<T>(v128.load(row, 80), mul<T>(x, g5)), 80);
        v128.store(row, add<T>(v128.load(row, 96), mul<T>(x, g6)), 96);
        v128.store(row, add<T>(v128.load(row, 112), mul<T>(x, g7)), 112);
      }
    }
    for (; v + 4 <= vectors; v += 4) {
      const gAt = gRow + ((<usize>v) << 4);
      const cAt = c + ((<usize>v) << 4);
      const g0 = v128.load(gAt);
      const g1 = v128.load(gAt, 16);
      const g2 = v128.load(gAt, 32);
      const g3 = v128.load(gAt, 48);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = cAt + <usize>(load<i32>(columns + (q << 2)) - from) * rowBytes;
        v128.store(row, add<T>(v128.load(row), mul<T>(x, g0)));
        v128.store(row, add<T>(v128.load(row, 16), mul<T>(x, g1)), 16);
        v128.store(row, add<T>(v128.load(row, 32), mul<T>(x, g2)), 32);
        v128.store(row, add<T>(v128.load(row, 48), mul<T>(x, g3)), 48);
      }
    }
    for (; v < vectors; v++) {
      const gAt = gRow + ((<usize>v) << 4);
      const cAt = c + ((<usize>v) << 4);
      const g0 = v128.load(gAt);
      for (let q = begin; q < end; q++) {
        const x = splat<T>(values + (q << 2));
        const row = cAt + <usize>(load<i32>(columns + (q << 2)) - from) * rowBytes;
        v128.store(row, add<T>(v128.load(row), mul<T>(x, g0)));
      }
    }
  }
}
