import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@typedlearn/tensor';
import { prepareDigitImage, toFloat01, type RasterImage } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';

const FIELD = 28;

/**
 * A grey canvas with a thick "7" drawn in it: a horizontal bar and a diagonal, `size` pixels
 * tall, its top-left corner at (left, top). Ink is `ink`, background `paper`.
 */
function drawSeven(
  width: number,
  height: number,
  left: number,
  top: number,
  size: number,
  ink = 0,
  paper = 255,
): RasterImage {
  const data = new Uint8Array(width * height).fill(paper);
  const thickness = Math.max(1, Math.round(size / 7));
  const plot = (x: number, y: number) => {
    for (let dy = 0; dy < thickness; dy++) {
      for (let dx = 0; dx < thickness; dx++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px >= 0 && px < width && py >= 0 && py < height) data[py * width + px] = ink;
      }
    }
  };
  const barWidth = Math.round(size * 0.6);
  for (let i = 0; i < barWidth; i++) plot(left + i, top);
  for (let i = 0; i < size - thickness; i++)
    plot(left + barWidth - thickness - (i * barWidth) / (2 * size), top + i);
  return { width, height, channels: 1, data };
}

/** Centre of mass (in pixel indices), bounding box and extremes of a 28 x 28 image. */
function describeField(pixels: Float32Array) {
  let mass = 0;
  let sx = 0;
  let sy = 0;
  let x0 = FIELD;
  let x1 = -1;
  let y0 = FIELD;
  let y1 = -1;
  for (let y = 0; y < FIELD; y++) {
    for (let x = 0; x < FIELD; x++) {
      const v = pixels[y * FIELD + x];
      mass += v;
      sx += x * v;
      sy += y * v;
      if (v > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return {
    cx: sx / mass,
    cy: sy / mass,
    boxWidth: x1 - x0 + 1,
    boxHeight: y1 - y0 + 1,
    min: Math.min(...pixels),
    max: Math.max(...pixels),
  };
}

/** The digit is MNIST-like: values in [0, 1] peaking at 1, centred, fitted to 20 pixels. */
function expectMnistLike(pixels: Float32Array): ReturnType<typeof describeField> {
  expect(pixels).toHaveLength(784);
  const field = describeField(pixels);
  expect(field.min).toBe(0);
  expect(field.max).toBeCloseTo(1, 6);
  expect(Math.abs(field.cx - 14)).toBeLessThanOrEqual(0.5);
  expect(Math.abs(field.cy - 14)).toBeLessThanOrEqual(0.5);
  expect(Math.max(field.boxWidth, field.boxHeight)).toBeLessThanOrEqual(21); // 20 plus a blended edge
  expect(Math.max(field.boxWidth, field.boxHeight)).toBeGreaterThanOrEqual(19);
  return field;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('prepareDigitImage', () => {
  it('centres an off-centre dark-on-light drawing by its centre of mass', () => {
    const corner = prepareDigitImage(drawSeven(200, 150, 5, 10, 60));
    const field = expectMnistLike(corner);
    expect(field.boxHeight).toBeGreaterThanOrEqual(19); // the 7 is taller than wide
    expect(field.boxWidth).toBeLessThan(field.boxHeight);
    // The same drawing elsewhere on the canvas gives the same result.
    const elsewhere = prepareDigitImage(drawSeven(200, 150, 120, 70, 60));
    expect(maxDifference(corner, elsewhere)).toBeLessThan(1e-6);
  });

  it('inverts automatically: light-on-dark and dark-on-light give the same digit', () => {
    const dark = prepareDigitImage(drawSeven(100, 100, 20, 20, 50, 0, 255));
    const light = prepareDigitImage(drawSeven(100, 100, 20, 20, 50, 255, 0));
    expect(maxDifference(dark, light)).toBeLessThan(1e-6);
    // A grey photo (ink 60 on paper 200) is stretched to the same contrast.
    const photo = prepareDigitImage(drawSeven(100, 100, 20, 20, 50, 60, 200));
    expect(maxDifference(dark, photo)).toBeLessThan(1e-6);
    // Forcing the polarity: not inverting a dark-on-light image makes the paper the "ink".
    expect(() =>
      prepareDigitImage(drawSeven(100, 100, 20, 20, 50, 0, 255), { invert: false }),
    ).toThrow(/no ink/);
  });

  it('shrinks a huge drawing and enlarges a tiny one to the same 20-pixel box', () => {
    const huge = prepareDigitImage(drawSeven(900, 800, 150, 100, 640));
    expectMnistLike(huge);
    const tiny = prepareDigitImage(drawSeven(12, 12, 2, 2, 7));
    expectMnistLike(tiny);
    const medium = prepareDigitImage(drawSeven(300, 300, 50, 50, 140));
    // Same shape at any scale: the fitted images agree up to the stroke's blurred edges.
    let agree = 0;
    for (let i = 0; i < 784; i++) if (Math.abs(huge[i] - medium[i]) < 0.25) agree++;
    expect(agree).toBeGreaterThan(740);
  });

  it('keeps the aspect ratio of a thin vertical stroke', () => {
    const data = new Uint8Array(50 * 100).fill(255);
    for (let y = 10; y < 90; y++) for (let x = 20; x < 28; x++) data[y * 50 + x] = 0;
    const field = describeField(prepareDigitImage({ width: 50, height: 100, channels: 1, data }));
    expect(field.boxHeight).toBe(20);
    expect(field.boxWidth).toBe(2); // 8 / 80 of 20 pixels
  });

  it('reads RGB and RGBA, treating transparent pixels as background', () => {
    const grey = drawSeven(64, 64, 10, 8, 40);
    const reference = prepareDigitImage(grey);
    const rgb = new Uint8Array(64 * 64 * 3);
    const rgba = new Uint8ClampedArray(64 * 64 * 4);
    const transparent = new Uint8ClampedArray(64 * 64 * 4);
    grey.data.forEach((v, i) => {
      rgb.set([v, v, v], 3 * i);
      rgba.set([v, v, v, 255], 4 * i);
      // Strokes in blue on a fully transparent canvas (as a drawing app exports them).
      if (v === 0) transparent.set([20, 40, 200, 255], 4 * i);
    });
    expect(
      maxDifference(
        prepareDigitImage({ width: 64, height: 64, channels: 3, data: rgb }),
        reference,
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxDifference(
        prepareDigitImage({ width: 64, height: 64, channels: 4, data: rgba }),
        reference,
      ),
    ).toBeLessThan(1e-6);
    expect(
      maxDifference(
        prepareDigitImage({ width: 64, height: 64, channels: 4, data: transparent }),
        reference,
      ),
    ).toBeLessThan(1e-6);
  });

  it('leaves genuine MNIST digits nearly unchanged (MNIST was made this way)', () => {
    const { test } = loadMnist();
    const digits = toFloat01(test.images.slice(0, 20));
    let close = 0;
    for (let k = 0; k < 20; k++) {
      const original = digits.data.subarray(k * 784, (k + 1) * 784);
      const data = test.images.row(k).toTypedArray();
      const prepared = prepareDigitImage({ width: 28, height: 28, channels: 1, data });
      // Cosine similarity: MNIST digits are fitted and centred already, up to rounding.
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let i = 0; i < 784; i++) {
        dot += original[i] * prepared[i];
        na += original[i] ** 2;
        nb += prepared[i] ** 2;
      }
      if (dot / Math.sqrt(na * nb) > 0.99) close++;
    }
    expect(close).toBeGreaterThanOrEqual(18);
  });

  it('refuses a blank canvas and malformed images clearly', () => {
    const blank = {
      width: 40,
      height: 30,
      channels: 1 as const,
      data: new Uint8Array(1200).fill(255),
    };
    expect(() => prepareDigitImage(blank)).toThrow(ValueError);
    expect(() => prepareDigitImage(blank)).toThrow(
      /the image has no ink: its brightest stroke differs from the background by 0.000/,
    );
    const faint = drawSeven(40, 40, 5, 5, 25, 250, 255); // 2% contrast: noise, not ink
    expect(() => prepareDigitImage(faint)).toThrow(/no ink/);
    const clear = { width: 10, height: 10, channels: 4 as const, data: new Uint8ClampedArray(400) };
    expect(() => prepareDigitImage(clear)).toThrow(/no ink/);
    expect(() =>
      prepareDigitImage({ width: 10, height: 10, channels: 1, data: new Uint8Array(99) }),
    ).toThrow(ShapeError);
    expect(() =>
      prepareDigitImage({ width: 10, height: 10, channels: 2 as never, data: new Uint8Array(200) }),
    ).toThrow(/channels must be 1 \(grey\), 3 \(RGB\) or 4 \(RGBA\), got 2/);
    expect(() =>
      prepareDigitImage({ width: 0, height: 10, channels: 1, data: new Uint8Array(0) }),
    ).toThrow(/positive integers/);
  });
});
