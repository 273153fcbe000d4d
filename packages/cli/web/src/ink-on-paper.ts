// The pad's colours, dark ink on white paper like a digit written on paper, and MNIST's digits
// (bright ink on black) painted in them: the gallery's thumbnails and a gallery digit on the pad.

/** Grey level of the ink (0 is black). */
export const INK_GREY = 0x11;
/** Grey level of the paper. */
export const PAPER_GREY = 0xff;

/** The CSS colour of a grey level. */
export function cssGrey(level: number): string {
  return `rgb(${level} ${level} ${level})`;
}

/**
 * An MNIST digit (`side` x `side` grey levels, 0 background, 255 full ink) as `width` x `height`
 * pixels of ink on paper, scaled with nearest-neighbour: each digit pixel becomes a block of
 * one colour, the paper blended towards the ink as far as the pixel is inked.
 */
export function digitOnPaper(
  pixels: Uint8Array,
  side: number,
  width: number,
  height: number,
): ImageData {
  const image = new ImageData(width, height);
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * side) / height) * side;
    for (let x = 0; x < width; x++) {
      const ink = pixels[row + Math.floor((x * side) / width)] / 255;
      const grey = Math.round(PAPER_GREY + (INK_GREY - PAPER_GREY) * ink);
      image.data.set([grey, grey, grey, 255], 4 * (y * width + x));
    }
  }
  return image;
}
