import { ShapeError, ValueError } from '@typedlearn/tensor';

/** An image as decoded from a file or read from a canvas: 8-bit channels, row-major, interleaved. */
export interface RasterImage {
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA (as a canvas's ImageData). */
  channels: 1 | 3 | 4;
  data: Uint8Array | Uint8ClampedArray;
}

/** ITU-R BT.601 luma weights, as most image libraries use for RGB -> grey. */
const RED = 0.299;
const GREEN = 0.587;
const BLUE = 0.114;

/**
 * The image's brightness in [0, 1], one float per pixel. Transparent pixels count as
 * background: RGBA is composited over white when its visible (alpha-weighted) pixels are dark
 * on average, and over black when they are light, so strokes drawn on a transparent canvas
 * keep their contrast whatever their colour.
 */
export function toGrayscale(image: RasterImage): Float32Array {
  const { width, height, channels, data } = checkRaster(image);
  const n = width * height;
  const gray = new Float32Array(n);
  if (channels === 1) {
    for (let i = 0; i < n; i++) gray[i] = data[i] / 255;
    return gray;
  }
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    gray[i] = (RED * data[p] + GREEN * data[p + 1] + BLUE * data[p + 2]) / 255;
  }
  if (channels === 4) compositeOverBackground(gray, data);
  return gray;
}

function compositeOverBackground(gray: Float32Array, rgba: Uint8Array | Uint8ClampedArray): void {
  let alphaSum = 0;
  let weighted = 0;
  for (let i = 0; i < gray.length; i++) {
    const alpha = rgba[4 * i + 3];
    alphaSum += alpha;
    weighted += alpha * gray[i];
  }
  if (alphaSum === 255 * gray.length) return; // opaque: nothing shows through
  if (alphaSum === 0) {
    gray.fill(0); // nothing is visible: a blank image
    return;
  }
  const background = weighted / alphaSum < 0.5 ? 1 : 0;
  for (let i = 0; i < gray.length; i++) {
    const alpha = rgba[4 * i + 3] / 255;
    gray[i] = alpha * gray[i] + (1 - alpha) * background;
  }
}

function checkRaster(image: RasterImage): RasterImage {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ValueError(
      `image width and height must be positive integers, got ${width} x ${height}`,
    );
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ValueError(
      `image channels must be 1 (grey), 3 (RGB) or 4 (RGBA), got ${String(channels)}`,
    );
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new ValueError('image data must be a Uint8Array or Uint8ClampedArray of 8-bit channels');
  }
  if (data.length !== width * height * channels) {
    throw new ShapeError(
      `image data holds ${data.length} bytes, expected ${width} x ${height} x ${channels} = ${width * height * channels}`,
    );
  }
  return image;
}
