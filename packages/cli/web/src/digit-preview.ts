import { DIGIT_SIDE } from '../../src/serve/digit-predictor.js';

/**
 * What the model sees: the 28 x 28 image `prepareDigitImage` made of the drawing, one canvas
 * pixel per value, grey = round(255 * value) (bright ink on black, as in MNIST). The page
 * scales the canvas up without smoothing (CSS `image-rendering: pixelated`), so each pixel
 * shows as a square.
 */
export class DigitPreview {
  private readonly context: CanvasRenderingContext2D;
  private readonly image = new ImageData(DIGIT_SIDE, DIGIT_SIDE);

  constructor(canvas: HTMLCanvasElement) {
    canvas.width = DIGIT_SIDE;
    canvas.height = DIGIT_SIDE;
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.context = context;
    this.clear();
  }

  /** Shows a prepared image: 784 values in [0, 1], row-major. */
  show(pixels: Float32Array): void {
    pixels.forEach((value, i) => {
      const grey = Math.round(255 * value);
      this.image.data.set([grey, grey, grey, 255], 4 * i);
    });
    this.context.putImageData(this.image, 0, 0);
  }

  /** An empty field: all black. */
  clear(): void {
    this.show(new Float32Array(DIGIT_SIDE * DIGIT_SIDE));
  }
}
