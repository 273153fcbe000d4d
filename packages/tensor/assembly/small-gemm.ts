/**
 * C += op(A) B for a GEMM too small for packing to pay (src/gemm-wasm.ts, `smallGemmWasm`): a
 * layer of 10 outputs over a batch of 200 rows spends more time packing and copying than
 * multiplying. A 2 x 16 tile of C at a time, in 8 f32x4 accumulators:
 *
 * ```
 *   for p in 0..k:  a0, a1 = splat(alpha A[i, p]), splat(alpha A[i + 1, p])
 *                   b0..b3 = B[p, j..j + 16]                 four 128-bit loads
 *                   c[r][v] += a_r * b_v                     f32x4 multiply, then f32x4 add
 * ```
 *
 * Each element of C is the same float32 sum as in the packed kernel (gemm-kernel.ts) for k up
 * to its block depth: alpha A[i, p] rounded to float32, each product rounded, added in order
 * of p from 0, and the sum added to C once. So both paths give the same bits.
 *
 * Pointers are byte offsets into the module's memory. A[i, p] is at `a + 4 (i aRow + p aStep)`
 * (op(A) is A or its transpose, whatever the strides). B is k rows of `width` floats, a multiple
 * of 16, zero past column n. C is m rows of n floats, `ldc` floats apart.
 */
export function smallGemm(
  m: i32,
  n: i32,
  k: i32,
  alpha: f32,
  a: usize,
  aRow: i32,
  aStep: i32,
  b: usize,
  width: i32,
  c: usize,
  ldc: i32,
): void {
  const stepBytes = (<usize>aStep) << 2;
  const bRowBytes = (<usize>width) << 2;
  const cRowBytes = (<usize>ldc) << 2;
  for (let i = 0; i < m; i += 2) {
    const pair = i + 1 < m;
    const a0Row = a + ((<usize>i * <usize>aRow) << 2);
    // A lone last row reads its own values twice, and only the first copy is stored.
    const a1Row = pair ? a0Row + ((<usize>aRow) << 2) : a0Row;
    const c0Row = c + <usize>i * cRowBytes;
    for (let j = 0; j < n; j += 16) {
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c02 = f32x4.splat(0);
      let c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c12 = f32x4.splat(0);
      let c13 = f32x4.splat(0);
      let aAt0 = a0Row;
      let aAt1 = a1Row;
      let bAt = b + ((<usize>j) << 2);
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bAt);
        const b1 = v128.load(bAt, 16);
        const b2 = v128.load(bAt, 32);
        const b3 = v128.load(bAt, 48);
        let av = f32x4.splat(alpha * load<f32>(aAt0));
        c00 = f32x4.add(c00, f32x4.mul(av, b0));
        c01 = f32x4.add(c01, f32x4.mul(av, b1));
        c02 = f32x4.add(c02, f32x4.mul(av, b2));
        c03 = f32x4.add(c03, f32x4.mul(av, b3));
        av = f32x4.splat(alpha * load<f32>(aAt1));
        c10 = f32x4.add(c10, f32x4.mul(av, b0));
        c11 = f32x4.add(c11, f32x4.mul(av, b1));
        c12 = f32x4.add(c12, f32x4.mul(av, b2));
        c13 = f32x4.add(c13, f32x4.mul(av, b3));
        aAt0 += stepBytes;
        aAt1 += stepBytes;
        bAt += bRowBytes;
      }
      const columns = min(16, n - j);
      const c0At = c0Row + ((<usize>j) << 2);
      addTile(c0At, columns, c00, c01, c02, c03);
      if (pair) addTile(c0At + cRowBytes, columns, c10, c11, c12, c13);
    }
  }
}

/** C[at .. at + columns) += the first `columns` lanes of s0 s1 s2 s3 (16 floats). */
function addTile(at: usize, columns: i32, s0: v128, s1: v128, s2: v128, s3: v128): void {
  if (columns == 16) {
    v128.store(at, f32x4.add(v128.load(at), s0));
    v128.store(at, f32x4.add(v128.load(at, 16), s1), 16);
    v128.store(at, f32x4.add(v128.load(at, 32), s2), 32);
    v128.store(at, f32x4.add(v128.load(at, 48), s3), 48);
    return;
  }
  addLanes(at, columns, s0);
  addLanes(at + 16, columns - 4, s1);
  addLanes(at + 32, columns - 8, s2);
  addLanes(at + 48, columns - 12, s3);
}

/** C[at + q] += lane q of s for q < min(4, count). */
function addLanes(at: usize, count: i32, s: v128): void {
  if (count <= 0) return;
  store<f32>(at, load<f32>(at) + f32x4.extract_lane(s, 0));
  if (count > 1) store<f32>(at, load<f32>(at, 4) + f32x4.extract_lane(s, 1), 4);
  if (count > 2) store<f32>(at, load<f32>(at, 8) + f32x4.extract_lane(s, 2), 8);
  if (count > 3) store<f32>(at, load<f32>(at, 12) + f32x4.extract_lane(s, 3), 12);
}
