// Drawing an MNIST digit on the drawing page's pad in a real Chromium driven by playwright-core:
// the digit becomes strokes (one along each horizontal run of ink), and the strokes reach the
// page as real mouse or touch input through the DevTools protocol. Shared by the browser test
// of the page (packages/cli/test/serve-browser.test.ts) and `pnpm bench:page`.
import type { CDPSession, Page } from 'playwright-core';

/** MNIST pixels at least this bright are ink to trace. */
export const INK = 128;

/** A point in page coordinates. */
export interface Point {
  x: number;
  y: number;
}

/** A straight stroke on the canvas, in page coordinates. */
export interface Stroke {
  from: Point;
  to: Point;
}

/**
 * The strokes that draw a 28 x 28 digit (ink = bright) scaled up to the size of the canvas
 * `pad` (the page's `#pad` unless given): one along each horizontal run of ink pixels, row by
 * row, top to bottom.
 */
export async function digitStrokes(
  page: Page,
  pixels: Uint8Array,
  pad = '#pad',
): Promise<Stroke[]> {
  const box = await page.locator(pad).boundingBox();
  if (box === null) throw new Error(`the page shows no ${pad} to draw on`);
  const cell = box.width / 28;
  const at = (x: number, y: number) => ({
    x: box.x + (x + 0.5) * cell,
    y: box.y + (y + 0.5) * cell,
  });
  const strokes: Stroke[] = [];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      if (pixels[y * 28 + x] < INK) continue;
      const start = x;
      while (x + 1 < 28 && pixels[y * 28 + x + 1] >= INK) x++;
      strokes.push({ from: at(start, y), to: at(x, y) });
    }
  }
  return strokes;
}

/**
 * Sends strokes as a mouse drag each (or a finger's, on a touch screen): press at a stroke's
 * start, move to its end, release. The events go to Chromium through the DevTools protocol as
 * real input. Mouse events are sent back to back (the browser handles them in order, coalescing
 * moves as it would for a fast hand), so a digit takes one round trip rather than one per
 * event; touches go one at a time. Resolves once Chromium has taken every event; the page's
 * answer to them comes on a later animation frame (see {@link nextFrame}).
 */
export async function dispatchStrokes(
  devtools: CDPSession,
  strokes: readonly Stroke[],
  pointer: 'mouse' | 'touch' = 'mouse',
): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (const { from, to } of strokes) {
    if (pointer === 'mouse') {
      const button = { button: 'left', clickCount: 1 } as const;
      sends.push(
        devtools.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...from }),
        devtools.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...from, ...button }),
        devtools.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...to, buttons: 1 }),
        devtools.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...to, ...button }),
      );
    } else {
      // One event at a time: touches sent back to back can reach the page as a fling and
      // lose strokes to a cancelled gesture.
      await devtools.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
      await devtools.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [to] });
      await devtools.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    }
  }
  await Promise.all(sends);
}

/** Resolves after the page has rendered a frame (its pending prediction has run by then). */
export function nextFrame(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}
