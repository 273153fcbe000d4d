// Where the targets' rows are in a CSR matrix, for the kernels of csr-block-dots.ts and
// csr-block-dots-f32.ts. `targets` holds int32 row indices, `rowStart` int32 offsets.

/** The first non-zero of target t's row. */
export function rowBegin(rowStart: usize, targets: usize, t: i32): i32 {
  return load<i32>(rowStart + ((<usize>load<i32>(targets + ((<usize>t) << 2))) << 2));
}

/** One past the last non-zero of target t's row. */
export function rowEnd(rowStart: usize, targets: usize, t: i32): i32 {
  return load<i32>(rowStart + ((<usize>load<i32>(targets + ((<usize>t) << 2))) << 2), 4);
}

/** Where target t's float32 values start, for rows that store every column. */
export function rowValues(rowStart: usize, values: usize, targets: usize, t: i32): usize {
  return values + ((<usize>rowBegin(rowStart, targets, t)) << 2);
}
