import { DTypeError, ShapeError, Tensor, ValueError } from '@typedlearn/tensor';

/**
 * Straightens the slant of one grey-level image (`height` x `width`, row-major, ink > 0)
 * from `source` into `target` by a horizontal shear that makes its second-order mixed
 * central moment vanish, and moves its centre of mass to the centre of the image. With the
 * centre of mass (cx, cy) and the moments mu11 = sum (x - cx)(y - cy) I(x, y) and
 * mu02 = sum (y - cy)^2 I(x, y), the skew is alpha = mu11 / mu02 (the slope dx/dy of the ink's
 * principal direction); with the image centre (x0, y0) = ((width - 1) / 2, (height - 1) / 2),
 *
 *   target(x, y) = source(cx + (x - x0) + alpha (y - y0), cy + (y - y0)),
 *
 * sampled with bilinear interpolation between the four nearest pixels (zero outside), so
 * pixels in [0, 1] stay in [0, 1]. This is moment normalisation (Casey, "Moment normalization
 * of handprinted characters", IBM J. Res. Dev. 14(5), 1970), the "deskewing" preprocessing of
 * several rows of LeCun et al.'s MNIST table ("Gradient-based learning applied to document
 * recognition", Proc. IEEE, 1998). An image without ink is copied unchanged; one whose ink lies
 * on one row is only re-centred.
 */
export function deskewImage(
  source: Float32Array,
  target: Float32Array,
  height: number,
  width: number,
): void {
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = source[row + x];
      mass += v;
      sumX += x * v;
      sumY += y * v;
    }
  }
  if (!(mass > 0)) {
    target.set(source.subarray(0, height * width));
    return;
  }
  const cx = sumX / mass;
  const cy = sumY / mass;
  let mu11 = 0;
  let mu02 = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      const v = source[row + x];
      mu11 += (x - cx) * dy * v;
      mu02 += dy * dy * v;
    }
  }
  const alpha = mu02 > 0 ? mu11 / mu02 : 0;
  const x0 = (width - 1) / 2;
  const y0 = (height - 1) / 2;
  // The source row of every target row moves by the same fraction: split it into the whole
  // row `top` and the weight `down` of the row below it.
  const sourceY = cy - y0;
  const top0 = Math.floor(sourceY);
  const down = sourceY - top0;
  for (let y = 0; y < height; y++) {
    const top = top0 + y;
    const topRow = top >= 0 && top < height ? top * width : -1;
    const bottomRow = top + 1 >= 0 && top + 1 < height ? (top + 1) * width : -1;
    const shift = cx - x0 + alpha * (y - y0);
    const whole = Math.floor(shift);
    const right = shift - whole;
    const out = y * width;
    // Columns x whose two source columns x + whole and x + whole + 1 both lie in the image.
    const first = Math.min(width, Math.max(0, -whole));
    const last = Math.max(first, Math.min(width, width - 1 - whole));
    if (topRow >= 0 && bottomRow >= 0) {
      for (let x = first; x < last; x++) {
        const left = topRow + x + whole;
        const a = source[left];
        const upper = a + right * (source[left + 1] - a);
        const c = source[left + width];
        const lower = c + right * (source[left + width + 1] - c);
        target[out + x] = upper + down * (lower - upper);
      }
    } else {
      sampleRow(source, target, width, topRow, bottomRow, whole, right, down, out, first, last);
    }
    sampleRow(source, target, width, topRow, bottomRow, whole, right, down, out, 0, first);
    sampleRow(source, target, width, topRow, bottomRow, whole, right, down, out, last, width);
  }
}

/**
 * Target columns [from, to) of row `out` of {@link deskewImage}'s resampling, for any columns:
 * source pixels outside the image count as 0. (The loop above is the same arithmetic where
 * both source rows and columns lie inside.)
 */
function sampleRow(
  source: Float32Array,
  target: Float32Array,
  width: number,
  topRow: number,
  bottomRow: number,
  whole: number,
  right: number,
  down: number,
  out: number,
  from: number,
  to: number,
): void {
  for (let x = from; x < to; x++) {
    const left = x + whole; // sample between source columns `left` and `left + 1`
    const hasLeft = left >= 0 && left < width;
    const hasRight = left + 1 >= 0 && left + 1 < width;
    let upper = 0;
    let lower = 0;
    if (topRow >= 0) {
      const a = hasLeft ? source[topRow + left] : 0;
      const b = hasRight ? source[topRow + left + 1] : 0;
      upper = a + right * (b - a);
    }
    if (bottomRow >= 0) {
      const a = hasLeft ? source[bottomRow + left] : 0;
      const b = hasRight ? source[bottomRow + left + 1] : 0;
      lower = a + right * (b - a);
    }
    target[out + x] = upper + down * (lower - upper);
  }
}

/** Image size of {@link deskew}'s input rows. */
export interface ImageSize {
  /** Rows of each image. Default 28 (MNIST). */
  height: number;
  /** Columns of each image. Default 28 (MNIST). */
  width: number;
}

/**
 * Deskews every image of `images` (see {@link deskewImage}): float32 [N, height, width], or
 * [N, height * width] rows with `size` giving the image size (default 28 x 28). Returns a new
 * float32 tensor of the same shape.
 */
export function deskew(images: Tensor, size: Partial<ImageSize> = {}): Tensor {
  if (images.dtype !== 'float32') {
    throw new DTypeError(
      `deskew expects float32 images (see toFloat01), got a ${images.dtype} tensor`,
    );
  }
  const { height, width } = imageSize(images.shape, size);
  const source = images.contiguous();
  const count = images.shape[0];
  const out = new Float32Array(count * height * width);
  deskewRows(source.data.subarray(source.offset), out, 0, count, { height, width });
  return new Tensor(out, images.shape);
}

/**
 * {@link deskewImage} of images [first, end) of `source` into the same rows of `target`, both
 * row-major with one `height` x `width` image per row.
 */
export function deskewRows(
  source: Float32Array,
  target: Float32Array,
  first: number,
  end: number,
  { height, width }: ImageSize,
): void {
  const pixels = height * width;
  for (let i = first; i < end; i++) {
    const from = i * pixels;
    deskewImage(
      source.subarray(from, from + pixels),
      target.subarray(from, from + pixels),
      height,
      width,
    );
  }
}

function imageSize(shape: readonly number[], size: Partial<ImageSize>): ImageSize {
  const height = size.height ?? (shape.length === 3 ? shape[1] : 28);
  const width = size.width ?? (shape.length === 3 ? shape[2] : 28);
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new ValueError(`deskew image size must be positive integers, got ${height} x ${width}`);
  }
  const matches =
    shape.length === 3
      ? shape[1] === height && shape[2] === width
      : shape.length === 2 && shape[1] === height * width;
  if (!matches) {
    throw new ShapeError(
      `deskew expects images [N, ${height}, ${width}] or rows [N, ${height * width}], got [${shape.join(', ')}]`,
    );
  }
  return { height, width };
}
