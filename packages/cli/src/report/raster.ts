import { PNG } from 'pngjs';

/**
 * Small pixel pictures for the report (digits, weights, importances) as PNG data URIs, so the
 * HTML needs no other file. Pictures stay at their true size (28 x 28 per digit); the page
 * scales them up with `image-rendering: pixelated`.
 */

/** An RGB colour, 0..255 per channel. */
type Rgb = readonly [number, number, number];

/** Maps a value in [0, 1] to a colour. */
export type Colormap = (t: number) => Rgb;

/** Ink 1 -> black, background 0 -> white: digits as on paper. */
export const inkOnPaper: Colormap = (t) => {
  const v = Math.round(255 * (1 - clamp01(t)));
  return [v, v, v];
};

/** Anchors of matplotlib's "viridis" (dark purple -> teal -> yellow), interpolated linearly. */
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** A perceptually even sequential colormap for magnitudes (feature importances). */
export const viridis: Colormap = (t) => {
  const x = clamp01(t) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  const mix = (c: number) => Math.round(a[c] + f * (b[c] - a[c]));
  return [mix(0), mix(1), mix(2)];
};

/** Blue (t = 0) -> white (t = 0.5) -> red (t = 1): signed weights, zero in the middle. */
export const blueWhiteRed: Colormap = (t) => {
  const x = clamp01(t);
  const fade = (to: number, amount: number) => Math.round(255 + amount * (to - 255));
  return x < 0.5
    ? [fade(33, 1 - 2 * x), fade(102, 1 - 2 * x), fade(172, 1 - 2 * x)]
    : [fade(178, 2 * x - 1), fade(24, 2 * x - 1), fade(43, 2 * x - 1)];
};

/** One picture: `width * height` values, row by row, each in [0, 1] for the colormap. */
export interface Tile {
  values: ArrayLike<number>;
  width: number;
  height: number;
}

/**
 * Tiles laid out in a grid of `columns`, `gap` background pixels apart, coloured by
 * `colormap`, as a PNG data URI. All tiles must have the same size.
 */
export function tileGridPng(
  tiles: readonly Tile[],
  columns: number,
  colormap: Colormap,
  gap = 2,
): string {
  const { width, height } = tiles[0];
  const rows = Math.ceil(tiles.length / columns);
  const png = new PNG({
    width: columns * width + (columns - 1) * gap,
    height: rows * height + (rows - 1) * gap,
  });
  png.data.fill(255);
  tiles.forEach(({ values }, index) => {
    const left = (index % columns) * (width + gap);
    const top = Math.floor(index / columns) * (height + gap);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b] = colormap(values[y * width + x]);
        const at = 4 * ((top + y) * png.width + left + x);
        png.data[at] = r;
        png.data[at + 1] = g;
        png.data[at + 2] = b;
      }
    }
  });
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** A single tile as a PNG data URI. */
export function tilePng(tile: Tile, colormap: Colormap): string {
  return tileGridPng([tile], 1, colormap);
}

/** `values` scaled to [0, 1] by their maximum (all zeros stay zero). */
export function scaleByMax(values: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  return Float32Array.from(values, (v) => (max > 0 ? v / max : 0));
}

/**
 * Signed `values` mapped to [0, 1] with 0 at 0.5, scaled so that the `quantile` of their
 * magnitudes reaches the ends (larger ones are clipped): a few extreme weights, such as those
 * of rarely inked border pixels, then do not wash out the rest.
 */
export function scaleSymmetric(values: ArrayLike<number>, quantile = 0.99): Float32Array {
  const magnitudes = Float32Array.from(values, Math.abs).sort();
  const scale =
    magnitudes[Math.min(magnitudes.length - 1, Math.floor(quantile * magnitudes.length))];
  return Float32Array.from(values, (v) => (scale > 0 ? 0.5 + v / (2 * scale) : 0.5));
}

function clamp01(t: number): number {
  return t < 0 ? 0 : t > 1 ? 1 : t;
}
