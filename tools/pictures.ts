// Image files of digits, as a person would give them to `typedlearn predict` or save them:
// PNG and JPEG bytes made with the pngjs and jpeg-js encoders (shared by the CLI's and io's tests).
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A 28 x 28 MNIST digit (ink = 255) scaled up `scale` times, as RGBA with `ink` and `paper` grey levels. */
function render(pixels: Uint8Array, scale: number, ink: number, paper: number) {
  const side = 28 * scale;
  const rgba = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const t = pixels[Math.floor(y / scale) * 28 + Math.floor(x / scale)] / 255;
      const grey = Math.round(paper + t * (ink - paper));
      rgba.set([grey, grey, grey, 255], 4 * (y * side + x));
    }
  }
  return { width: side, height: side, data: rgba };
}

/** Dark ink on white paper, scaled up 4x (112 x 112), as a PNG. */
export function drawnDigitPng(pixels: Uint8Array): Uint8Array {
  const { width, height, data } = render(pixels, 4, 20, 245);
  const png = new PNG({ width, height });
  png.data.set(data);
  return PNG.sync.write(png);
}

/** White ink on black, scaled up 3x (84 x 84), as a JPEG. */
export function invertedDigitJpeg(pixels: Uint8Array): Uint8Array {
  const { width, height, data } = render(pixels, 3, 255, 0);
  return jpeg.encode({ width, height, data: Buffer.from(data) }, 95).data;
}

/** The digit at half size (14 x 14, every other pixel), dark on light, as a PNG. */
export function tinyDigitPng(pixels: Uint8Array): Uint8Array {
  const png = new PNG({ width: 14, height: 14 });
  for (let y = 0; y < 14; y++) {
    for (let x = 0; x < 14; x++) {
      const t = Math.max(
        pixels[2 * y * 28 + 2 * x],
        pixels[2 * y * 28 + 2 * x + 1],
        pixels[(2 * y + 1) * 28 + 2 * x],
        pixels[(2 * y + 1) * 28 + 2 * x + 1],
      );
      const grey = 255 - t;
      png.data.set([grey, grey, grey, 255], 4 * (y * 14 + x));
    }
  }
  return PNG.sync.write(png);
}
