/**
 * Packing for the `wasm-simd` GEMM (src/gemm-wasm.ts), in AssemblyScript: rearranging a block
 * of op(A) or op(B) into the slivers the micro-kernel reads (assembly/gemm-kernel.ts).
 *
 * The block's rows are first copied as they are into the memory (a memcpy per row, by the
 * TypeScript side, since the caller's arrays lie outside it); these kernels then move them
 * into place a vector at a time. A sliver of `width` lanes (4 for A's rows, 8 for B's columns)
 * holds, for each step p of the sum, `width` values side by side. Two shapes of source cover
 * the four cases:
 *
 * - `packCut`: each staged row is one step p, running along the sliver's lanes (B as stored,
 *   or A stored transposed). Row p is cut into runs of `width`, run s going to sliver s.
 * - `packInterleaved`: each staged row is one lane, running along p (A as stored, or B stored
 *   transposed). Four rows at a time are transposed in registers, four steps at a time:
 *
 *   ```
 *   r0 = a0 a1 a2 a3      t0 = a0 b0 a1 b1      out0 = a0 b0 c0 d0
 *   r1 = b0 b1 b2 b3  ->  t1 = a2 b2 a3 b3  ->  out1 = a1 b1 c1 d1    (lanes <- rows)
 *   r2 = c0 ...           t2 = c0 d0 c1 d1      out2 = a2 b2 c2 d2
 *   r3 = d0 ...           t3 = c2 d2 c3 d3      out3 = a3 b3 c3 d3
 *   ```
 *
 * Every value is multiplied by `scale` (GEMM's alpha for A, 1 for B) as a float32.
 */

/**
 * For p < steps and s < pieces: sliver s, step `first + p` (at dst + (s * sliverFloats +
 * (first + p) * width) * 4) = scale * the run of `width` floats at src + (p * rowFloats + s * width) * 4.
 * `width` is 4 or 8; rows hold `pieces * width` floats (the caller zero-pads them).
 */
export function packCut(
  src: usize,
  steps: i32,
  rowFloats: i32,
  pieces: i32,
  width: i32,
  sliverFloats: i32,
  first: i32,
  scale: f32,
  dst: usize,
): void {
  const factor = f32x4.splat(scale);
  const runBytes = (<usize>width) << 2;
  const sliverBytes = (<usize>sliverFloats) << 2;
  for (let p = 0; p < steps; p++) {
    let from = src + ((<usize>(p * rowFloats)) << 2);
    let to = dst + ((<usize>((first + p) * width)) << 2);
    if (width === 8) {
      for (let s = 0; s < pieces; s++) {
        v128.store(to, f32x4.mul(v128.load(from), factor));
        v128.store(to, f32x4.mul(v128.load(from, 16), factor), 16);
        from += runBytes;
        to += sliverBytes;
      }
    } else {
      for (let s = 0; s < pieces; s++) {
        v128.store(to, f32x4.mul(v128.load(from), factor));
        from += runBytes;
        to += sliverBytes;
      }
    }
  }
}

/**
 * One sliver of `width` lanes (4 or 8) and `steps` steps at dst: lane r of step p (at dst +
 * (p * width + r) * 4) = scale * float p of the staged row r, rows `ld` floats apart from src.
 */
export function packInterleaved(
  src: usize,
  ld: i32,
  steps: i32,
  width: i32,
  scale: f32,
  dst: usize,
): void {
  const factor = f32x4.splat(scale);
  const rowBytes = (<usize>ld) << 2;
  const stepBytes = (<usize>width) << 2;
  const whole = steps & ~3;
  // Four lanes at a time: lanes 0-3, then 4-7 when width is 8.
  for (let lane = 0; lane < width; lane += 4) {
    const r0 = src + <usize>lane * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    let to = dst + ((<usize>lane) << 2);
    for (let p = 0; p < whole; p += 4) {
      const at = (<usize>p) << 2;
      const a = v128.load(r0 + at);
      const b = v128.load(r1 + at);
      const c = v128.load(r2 + at);
      const d = v128.load(r3 + at);
      const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
      v128.store(to, f32x4.mul(v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), factor));
      to += stepBytes;
      v128.store(to, f32x4.mul(v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), factor));
      to += stepBytes;
      v128.store(to, f32x4.mul(v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), factor));
      to += stepBytes;
      v128.store(to, f32x4.mul(v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), factor));
      to += stepBytes;
    }
    for (let p = whole; p < steps; p++) {
      const at = (<usize>p) << 2;
      store<f32>(to, scale * load<f32>(r0 + at));
      store<f32>(to, scale * load<f32>(r1 + at), 4);
      store<f32>(to, scale * load<f32>(r2 + at), 8);
      store<f32>(to, scale * load<f32>(r3 + at), 12);
      to += stepBytes;
    }
  }
}
