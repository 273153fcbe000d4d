/** A rectangle of pixels: columns x0 .. x0 + width - 1, rows y0 .. y0 + height - 1. */
export interface PixelBox {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * Resamples the `box` of `source` (row-major, `sourceWidth` columns) to `outWidth` x
 * `outHeight` by area averaging: each output pixel is the mean of the source area it covers,
 * partial pixels weighted by the covered fraction. This is the anti-aliasing box filter of
 * image reduction (OpenCV's INTER_AREA, Pillow's BOX); enlarging with it blends only the
 * edges between source pixels. Done in two separable 1-D passes, rows then columns.
 */
export function resizeArea(
  source: Float32Array,
  sourceWidth: number,
  box: PixelBox,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const rowsResized = new Float32Array(box.height * outWidth);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y0 + y) * sourceWidth + box.x0;
    average1d(source, from, 1, box.width, rowsResized, y * outWidth, 1, outWidth);
  }
  const out = new Float32Array(outHeight * outWidth);
  for (let x = 0; x < outWidth; x++) {
    average1d(rowsResized, x, outWidth, box.height, out, x, outWidth, outHeight);
  }
  return out;
}

/**
 * 1-D area averaging of `inLength` samples (stride `inStride` from `inStart`) onto
 * `outLength` samples: output i covers the input interval [i s, (i + 1) s) with
 * s = inLength / outLength, and is the overlap-weighted mean over that interval.
 */
function average1d(
  input: Float32Array,
  inStart: number,
  inStride: number,
  inLength: number,
  output: Float32Array,
  outStart: number,
  outStride: number,
  outLength: number,
): void {
  const span = inLength / outLength;
  for (let i = 0; i < outLength; i++) {
    const lo = i * span;
    const hi = Math.min((i + 1) * span, inLength);
    let sum = 0;
    for (let s = Math.floor(lo); s < hi; s++) {
      const overlap = Math.min(hi, s + 1) - Math.max(lo, s);
      sum += overlap * input[inStart + s * inStride];
    }
    output[outStart + i * outStride] = sum / span;
  }
}
