// The drawing page in a real browser (Chromium driven by playwright-core): real MNIST
// test digits are drawn by dragging the mouse along their strokes, and the page, running the
// model itself, must read most of them right, without a single JavaScript error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadWebDemo, startDigitServer, type DigitServer } from '@typedlearn/cli/serve';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { postJson } from './helpers/serve-http.js';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../../tools/chromium.js';

/** MNIST pixels at least this bright are ink to trace. */
const INK = 128;

let saved: SavedDigitModel;
let server: DigitServer;
let profile: string;
let browser: BrowserContext;
let page: Page;
let devtools: CDPSession;
const pageErrors: string[] = [];

beforeAll(async () => {
  saved = await saveDigitModel(5000, 30);
  server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    webDemo: await loadWebDemo(),
    port: 0,
  });
  profile = await mkdtemp(join(tmpdir(), 'typedlearn-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: await chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 900, height: 700 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  devtools = await browser.newCDPSession(page);
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console.error: ${message.text()}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await saved?.remove();
  if (profile !== undefined) await rm(profile, { recursive: true, force: true });
});

/** A straight stroke on the canvas, in page coordinates. */
interface Stroke {
  from: { x: number; y: number };
  to: { x: number; y: number };
}

/**
 * The strokes that draw a 28 x 28 digit scaled up to the canvas's size: one along each
 * horizontal run of ink pixels, row by row.
 */
async function strokesOf(pixels: Uint8Array): Promise<Stroke[]> {
  const box = (await page.locator('#pad').boundingBox())!;
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
 * Draws the digit by dragging the mouse (or a finger, on a touch screen) along its strokes:
 * press at a stroke's start, move to its end, release. The events go to Chromium through the
 * DevTools protocol as real input. Mouse events are sent back to back (the browser handles them
 * in order, coalescing moves as it would for a fast hand), so a digit takes one round trip
 * rather than one per event; touches go one at a time. Then one frame passes, in which the page
 * reads the drawing.
 */
async function trace(pixels: Uint8Array, pointer: 'mouse' | 'touch' = 'mouse'): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (const { from, to } of await strokesOf(pixels)) {
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
  await nextFrame();
}

/** The canvas as a PNG data URL. */
function drawing(): Promise<string> {
  return page
    .locator('#pad')
    .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL('image/png'));
}

/** Resolves after the page has rendered a frame (its pending prediction has run by then). */
function nextFrame(): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

it('reads digits drawn with the mouse or a finger, in the browser, as the server reads the same drawing', async () => {
  await page.goto(server.url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 }).catch((error) => {
    throw new Error(`the page did not get ready; its errors: ${pageErrors.join('; ')}`, {
      cause: error,
    });
  });
  await expect(page.locator('#model').textContent()).resolves.toMatch(
    /^forest model from forest\.safetensors · running in this page$/,
  );
  await expect(page.locator('#digit').textContent()).resolves.toBe('–');

  const { pixels, labels } = testDigits(10);
  let right = 0;
  for (const [i, digit] of pixels.entries()) {
    await page.click('#clear');
    await trace(digit);
    const shown = Number(await page.locator('#digit').textContent());
    if (shown === labels[i]) right++;

    // The bars show the same answer: the predicted digit's bar is highlighted, and the
    // probabilities add up to 100%.
    const bars = await page.locator('#probabilities li').evaluateAll((items) =>
      items.map((item) => ({
        predicted: item.classList.contains('predicted'),
        percent: Number(item.querySelector('.value')!.textContent!.replace('%', '')),
      })),
    );
    expect(bars).toHaveLength(10);
    expect(bars.findIndex((bar) => bar.predicted)).toBe(shown);
    expect(bars.reduce((sum, bar) => sum + bar.percent, 0)).toBeCloseTo(100, 0);

    // The server, given the canvas as a PNG, prepares and predicts it the same way.
    const reply = await postJson(`${server.url}api/predict`, { image: await drawing() });
    expect(reply.json()).toMatchObject({ digit: shown });
  }
  expect(right).toBeGreaterThanOrEqual(7);

  // A finger (touch input, delivered to the page as Pointer Events) draws the same picture,
  // and the page reads it the same way.
  const mouseDrawing = await drawing();
  const mouseDigit = await page.locator('#digit').textContent();
  await page.click('#clear');
  await expect(page.locator('#digit').textContent()).resolves.toBe('–');
  await devtools.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  await trace(pixels[pixels.length - 1], 'touch');
  await expect(page.locator('#digit').textContent()).resolves.toBe(mouseDigit);
  expect(await drawing()).toBe(mouseDrawing);

  expect(pageErrors).toEqual([]);
}, 120_000);
