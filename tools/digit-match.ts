// How close a prepared 28 x 28 digit is to the clean one it should be: shared by the image
// preparation tests of @typedlearn/data and @typedlearn/io.

/** What {@link digitMatch} measures. */
export interface DigitMatch {
  /** Pearson correlation with the clean digit at its best one-pixel shift. */
  correlation: number;
  /** Mean value of the result where the (shifted) clean digit is over 0.5: bright ink is near 1. */
  ink: number;
  /** Mean value of the result where the (shifted) clean digit is 0: dark paper is near 0. */
  paper: number;
}

const SHIFTS = [-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => [dx, dy]));

/**
 * Compares `result` with `clean`, allowing a one-pixel shift: MNIST centres the centre of mass
 * by whole pixels, so a digit whose centre falls near a pixel boundary lands one pixel over
 * when its grey levels change by a hair.
 */
export function digitMatch(result: Float32Array, clean: Float32Array): DigitMatch {
  let best = { r: -1, reference: clean };
  for (const [dx, dy] of SHIFTS) {
    const reference = shifted(clean, dx, dy);
    const r = correlation(result, reference);
    if (r > best.r) best = { r, reference };
  }
  let [ink, inkCount, paper, paperCount] = [0, 0, 0, 0];
  best.reference.forEach((v, i) => {
    if (v > 0.5) [ink, inkCount] = [ink + result[i], inkCount + 1];
    if (v === 0) [paper, paperCount] = [paper + result[i], paperCount + 1];
  });
  return { correlation: best.r, ink: ink / inkCount, paper: paper / paperCount };
}

/** `image` (28 x 28) moved by whole pixels, zeros shifted in. */
function shifted(image: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const [sx, sy] = [x - dx, y - dy];
      if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = image[sy * 28 + sx];
    }
  }
  return out;
}

function correlation(a: Float32Array, b: Float32Array): number {
  const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
