// Image files of digits, as a person would save them: PNG and JPEG bytes made with the pngjs
// and jpeg-js encoders. (The CLI's tests have their own copy, with more kinds of picture.)
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
