import type { PixelBox } from './area-resize.js';
import { InkComponents, type InkComponent } from './ink-components.js';

/** Border clutter stretches along at least this fraction of a side of the picture. */
const CLUTTER_SPAN = 0.5;
/** A frame or an edge line lies within this fraction of the shorter side from the edge. */
const FRAME_DEPTH = 0.05;
/** A shadow band or a glare lies within this fraction of the shorter side from the edge... */
const BAND_DEPTH = 0.25;
/** ...and is fainter than this fraction of the strongest ink. */
const BAND_PEAK = 0.5;

/**
 * Erases from `ink` (row-major, `width` columns, peak 1) the border clutter: the connected
 * pieces of ink at or above `threshold` that touch the picture's edge, stretch along at least
 * half of one side and stay near that edge, either thinly (within 5% of the shorter side: a
 * frame, an edge line, the border of a scan) or faintly (within 25% and under half the peak:
 * the shadow or glare that a background plane cannot follow). A digit drawn up to the edge
 * reaches deeper into the picture and is kept. Clutter is erased only when other ink remains,
 * so a digit that is itself the only thing along the edge survives. Returns the bounding box
 * of the remaining ink (as `threshold` sees it).
 */
export function eraseBorderClutter(
  ink: Float32Array,
  width: number,
  height: number,
  threshold: number,
): PixelBox {
  const found = new InkComponents(ink, width, height, threshold);
  const isClutter = found.components.map((c) => isBorderClutter(c, width, height));
  const kept = found.components.filter((_, i) => !isClutter[i]);
  if (kept.length > 0) {
    for (let i = 0; i < isClutter.length; i++) if (isClutter[i]) found.erase(i, ink);
  }
  const box = { left: width, top: height, right: -1, bottom: -1 };
  for (const c of kept.length > 0 ? kept : found.components) {
    box.left = Math.min(box.left, c.left);
    box.top = Math.min(box.top, c.top);
    box.right = Math.max(box.right, c.right);
    box.bottom = Math.max(box.bottom, c.bottom);
  }
  return {
    x0: box.left,
    y0: box.top,
    width: box.right - box.left + 1,
    height: box.bottom - box.top + 1,
  };
}

function isBorderClutter(c: InkComponent, width: number, height: number): boolean {
  const touchesEdge =
    c.left === 0 || c.top === 0 || c.right === width - 1 || c.bottom === height - 1;
  const spansSide =
    c.right - c.left + 1 >= CLUTTER_SPAN * width || c.bottom - c.top + 1 >= CLUTTER_SPAN * height;
  if (!touchesEdge || !spansSide) return false;
  const shorterSide = Math.min(width, height);
  const thin = c.depth < Math.max(1, FRAME_DEPTH * shorterSide);
  const faintBand = c.depth < BAND_DEPTH * shorterSide && c.peak < BAND_PEAK;
  return thin || faintBand;
}
