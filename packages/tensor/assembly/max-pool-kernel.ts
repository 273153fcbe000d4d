/**
 * Max pooling of the `wasm-simd` backend (src/max-pool-nhwc.ts) on NHWC images: for every
 * output pixel and channel, the largest input of its size x size window (cut at the bottom and
 * right edges) and the index within its image of the input that won, the first of equal ones.
 *
 * The comparison is branch-free, four channels at a time: `gt = v > best` as a lane mask, then
 * `best = gt ? v : best` and `winner = gt ? index : winner` by bit selection. On real
 * activations which input wins is close to random, so a branch per comparison would be
 * mispredicted about half the time and cost more than the arithmetic; channels left over past a
 * multiple of 4 take the same steps with scalar `select`.
 */
export function maxPoolNhwc(
  x: usize,
  images: i32,
  height: i32,
  width: i32,
  channels: i32,
  size: i32,
  stride: i32,
  outHeight: i32,
  outWidth: i32,
  out: usize,
  winners: usize,
): void {
  const imageFloats = height * width * channels;
  const lanes = i32x4(0, 1, 2, 3);
  const vectorChannels = channels & ~3;
  let o: usize = 0; // byte offset of the output pixel's first channel, in out and winners
  for (let image = 0; image < images; image++) {
    const first = x + ((<usize>image * <usize>imageFloats) << 2);
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * stride;
      const bottom = min(top + size, height);
      for (let ox = 0; ox < outWidth; ox++) {
        const left = ox * stride;
        const right = min(left + size, width);
        const start = (top * width + left) * channels;
        let c = 0;
        for (; c < vectorChannels; c += 4) {
          let best = v128.load(first + ((<usize>(start + c)) << 2));
          let winner = i32x4.add(i32x4.splat(start + c), lanes);
          for (let iy = top; iy < bottom; iy++) {
            for (let ix = iy === top ? left + 1 : left; ix < right; ix++) {
              const at = (iy * width + ix) * channels + c;
              const value = v128.load(first + ((<usize>at) << 2));
              const gt = f32x4.gt(value, best);
              best = v128.bitselect(value, best, gt);
              winner = v128.bitselect(i32x4.add(i32x4.splat(at), lanes), winner, gt);
            }
          }
          v128.store(out + o + ((<usize>c) << 2), best);
          v128.store(winners + o + ((<usize>c) << 2), winner);
        }
        for (; c < channels; c++) {
          let best = load<f32>(first + ((<usize>(start + c)) << 2));
          let winner = start + c;
          for (let iy = top; iy < bottom; iy++) {
            for (let ix = iy === top ? left + 1 : left; ix < right; ix++) {
              const at = (iy * width + ix) * channels + c;
              const value = load<f32>(first + ((<usize>at) << 2));
              const gt = value > best;
              best = select<f32>(value, best, gt);
              winner = select<i32>(at, winner, gt);
            }
          }
          store<f32>(out + o + ((<usize>c) << 2), best);
          store<i32>(winners + o + ((<usize>c) << 2), winner);
        }
        o += (<usize>channels) << 2;
      }
    }
  }
}
