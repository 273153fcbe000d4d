// The drawing page in a real browser (Chromium driven by playwright-core): real MNIST
// test digits are drawn by dragging the mouse along their strokes, and the page, running the
// model itself, must read most of them right, without a single JavaScript error. What it
// shows of the prepared image, its undo and clear (buttons and keys), its gallery of MNIST
// digits, its dark mode and its model switch are checked the same way, against what Node
// makes of the same pictures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeModel, modelFile, SVC } from '@typedlearn/classifiers';
import { flattenImages, prepareDigitImage, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { decodeImage } from '@typedlearn/io/node';
import {
  DigitPredictor,
  loadWebDemo,
  startDigitServer,
  type DigitServer,
} from '@typedlearn/cli/serve';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { postJson } from './helpers/serve-http.js';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../../tools/chromium.js';
import {
  digitStrokes,
  dispatchStrokes,
  nextFrame,
  type Point,
  type Stroke,
} from '../../../tools/digit-strokes.js';

/** Class names for a model that answers words rather than digits. */
const NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

let saved: SavedDigitModel;
/** An SVC without probabilities (it answers decision scores) fitted on the digits' names. */
let namesModel: Uint8Array;
/** A server of the forest alone, and one of the forest (the default) and the names model. */
let server: DigitServer;
let twoModelServer: DigitServer;
let profile: string;
let browser: BrowserContext;
let page: Page;
let devtools: CDPSession;
const pageErrors: string[] = [];

beforeAll(async () => {
  saved = await saveDigitModel(5000, 30);
  const { train } = loadMnist();
  const svc = await new SVC({ C: 5 }).fit(
    toFloat01(flattenImages(train.images.slice(0, 500))),
    Array.from(train.labels.subarray(0, 500), (digit) => NAMES[digit]),
  );
  const { model, preprocessing } = modelFile(svc);
  namesModel = encodeModel(model, preprocessing);
  const webDemo = await loadWebDemo();
  server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    webDemo,
    port: 0,
  });
  twoModelServer = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    moreModels: [{ fileName: 'digit-names.safetensors', bytes: namesModel }],
    webDemo,
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
  await twoModelServer?.close();
  await saved?.remove();
  if (profile !== undefined) await rm(profile, { recursive: true, force: true });
});

/** Opens the page of `url` and waits until its model is ready. */
async function open(url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 }).catch((error) => {
    throw new Error(`the page did not get ready; its errors: ${pageErrors.join('; ')}`, {
      cause: error,
    });
  });
}

/** The point at `(fx, fy)` of the pad, as fractions of its width and height. */
async function onPad(fx: number, fy: number): Promise<Point> {
  const box = (await page.locator('#pad').boundingBox())!;
  return { x: box.x + fx * box.width, y: box.y + fy * box.height };
}

/** Draws strokes (see {@link dispatchStrokes}), then lets one frame pass, in which the page reads the drawing. */
async function draw(strokes: Stroke[], pointer: 'mouse' | 'touch' = 'mouse'): Promise<void> {
  await dispatchStrokes(devtools, strokes, pointer);
  await nextFrame(page);
}

/** Draws a 28 x 28 digit (see {@link digitStrokes}). */
async function trace(pixels: Uint8Array, pointer: 'mouse' | 'touch' = 'mouse'): Promise<void> {
  await draw(await digitStrokes(page, pixels), pointer);
}

/** The canvas as a PNG data URL. */
function drawing(): Promise<string> {
  return page
    .locator('#pad')
    .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL('image/png'));
}

/** The canvas decoded in Node, as the server would decode it. */
async function drawingPixels(): Promise<ReturnType<typeof decodeImage>> {
  const url = await drawing();
  return decodeImage(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'), 'the pad');
}

/** What Node makes of the pad's picture: `prepareDigitImage`, as 8-bit grey levels. */
async function preparedInNode(): Promise<number[]> {
  return Array.from(prepareDigitImage(await drawingPixels()), (value) => Math.round(255 * value));
}

/** The preview canvas's 784 grey levels (its red channel). */
function previewPixels(): Promise<number[]> {
  return page.locator('#preview').evaluate((canvas) => {
    const { data } = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28);
    return Array.from({ length: 784 }, (_, i) => data[4 * i]);
  });
}

/** The label the page shows. */
function shownLabel(): Promise<string | null> {
  return page.locator('#digit').textContent();
}

/** The bars as the reader sees them: each class's name, its value and whether it is the answer. */
function bars(): Promise<{ label: string; value: string; predicted: boolean }[]> {
  return page.locator('#probabilities li').evaluateAll((items) =>
    items.map((item) => ({
      label: item.querySelector('.label')!.textContent!,
      value: item.querySelector('.value')!.textContent!,
      predicted: item.classList.contains('predicted'),
    })),
  );
}

/** The first two digits of each class in MNIST's test set, classes 0 to 9: the page's gallery. */
function galleryDigits(): { pixels: Uint8Array; label: number }[] {
  const { test } = loadMnist();
  const digits: { pixels: Uint8Array; label: number }[] = [];
  for (let label = 0; label < 10; label++) {
    let found = 0;
    for (let i = 0; found < 2; i++) {
      if (test.labels[i] !== label) continue;
      digits.push({ pixels: test.images.row(i).contiguousData(), label });
      found++;
    }
  }
  return digits;
}

it('reads digits drawn with the mouse or a finger, in the browser, as the server reads the same drawing', async () => {
  await open(server.url);
  await expect(page.locator('#model').textContent()).resolves.toMatch(
    /^forest model from forest\.safetensors · running in this page$/,
  );
  await expect(shownLabel()).resolves.toBe('–');
  // With one model there is nothing to switch to.
  await expect(page.locator('#model-switch').isHidden()).resolves.toBe(true);

  const { pixels, labels } = testDigits(10);
  let right = 0;
  for (const [i, digit] of pixels.entries()) {
    await page.click('#clear');
    await trace(digit);
    const shown = Number(await shownLabel());
    if (shown === labels[i]) right++;

    // The bars show the same answer: the predicted digit's bar is highlighted, and the
    // probabilities add up to 100%.
    const shownBars = await bars();
    expect(shownBars).toHaveLength(10);
    expect(shownBars.findIndex((bar) => bar.predicted)).toBe(shown);
    const percents = shownBars.map((bar) => Number(bar.value.replace('%', '')));
    expect(percents.reduce((sum, percent) => sum + percent, 0)).toBeCloseTo(100, 0);

    // The server, given the canvas as a PNG, prepares and predicts it the same way.
    const reply = await postJson(`${server.url}api/predict`, { image: await drawing() });
    expect(reply.json()).toMatchObject({ label: shown });
  }
  expect(right).toBeGreaterThanOrEqual(7);

  // A finger (touch input, delivered to the page as Pointer Events) draws the same picture,
  // and the page reads it the same way.
  const mouseDrawing = await drawing();
  const mouseDigit = await shownLabel();
  await page.click('#clear');
  await expect(shownLabel()).resolves.toBe('–');
  await devtools.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  await trace(pixels[pixels.length - 1], 'touch');
  await devtools.send('Emulation.setTouchEmulationEnabled', { enabled: false });
  await expect(shownLabel()).resolves.toBe(mouseDigit);
  expect(await drawing()).toBe(mouseDrawing);

  expect(pageErrors).toEqual([]);
}, 120_000);

it('previews the 28 x 28 image the model sees, pixel for pixel as Node prepares the same drawing', async () => {
  await open(server.url);
  // Nothing drawn: an empty (black) field.
  expect(new Set(await previewPixels())).toEqual(new Set([0]));
  const { pixels } = testDigits(15);
  for (const digit of pixels.slice(10)) {
    await page.click('#clear');
    await trace(digit);
    const preview = await previewPixels();
    expect(preview.some((grey) => grey > 0)).toBe(true);
    expect(preview).toEqual(await preparedInNode());
  }
  // The preview is drawn without smoothing, each pixel a square.
  await expect(
    page.locator('#preview').evaluate((canvas) => getComputedStyle(canvas).imageRendering),
  ).resolves.toBe('pixelated');
  await page.click('#clear');
  expect(new Set(await previewPixels())).toEqual(new Set([0]));
  expect(pageErrors).toEqual([]);
}, 60_000);

it('undoes the last stroke exactly, with the button or Ctrl+Z / Cmd+Z, and clears with Escape, Delete or Backspace', async () => {
  await open(server.url);
  const undo = page.locator('#undo');
  const clear = page.locator('#clear');
  await expect(undo.getAttribute('aria-keyshortcuts')).resolves.toBe('Control+Z Meta+Z');
  await expect(clear.getAttribute('aria-keyshortcuts')).resolves.toBe('Escape Delete Backspace');
  await expect(undo.getAttribute('title')).resolves.toMatch(/Ctrl\+Z/);
  await expect(clear.getAttribute('title')).resolves.toMatch(/Esc.*Delete.*Backspace/);
  await expect(undo.isDisabled()).resolves.toBe(true);

  // A digit, then one stroke more across it.
  await trace(testDigits(1).pixels[0]);
  const before = {
    drawing: await drawing(),
    label: await shownLabel(),
    bars: await bars(),
    preview: await previewPixels(),
  };
  const across: Stroke = { from: await onPad(0.15, 0.2), to: await onPad(0.85, 0.8) };
  const undoers = [
    () => undo.click(),
    () => page.keyboard.press('Control+z'),
    () => page.keyboard.press('Meta+z'),
  ];
  for (const undoLastStroke of undoers) {
    await draw([across]);
    expect(await drawing()).not.toBe(before.drawing);
    await undoLastStroke();
    // The same pixels, so the same answer as before the stroke.
    expect(await drawing()).toBe(before.drawing);
    await expect(shownLabel()).resolves.toBe(before.label);
    await expect(bars()).resolves.toEqual(before.bars);
    await expect(previewPixels()).resolves.toEqual(before.preview);
  }

  // Each clearing key wipes the pad; undo brings the drawing back.
  const blank = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 280;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, 280, 280);
    return canvas.toDataURL('image/png');
  });
  for (const key of ['Escape', 'Delete', 'Backspace']) {
    await page.keyboard.press(key);
    await expect(shownLabel()).resolves.toBe('–');
    expect(await drawing()).toBe(blank);
    await page.keyboard.press('Control+z');
    expect(await drawing()).toBe(before.drawing);
    await expect(shownLabel()).resolves.toBe(before.label);
  }

  // Undoing every stroke of a drawing leaves the blank pad, and nothing more to undo.
  await clear.click();
  await draw([across, { from: await onPad(0.5, 0.1), to: await onPad(0.5, 0.9) }]);
  await undo.click();
  await undo.click();
  expect(await drawing()).toBe(blank);
  await expect(shownLabel()).resolves.toBe('–');
  // The clear before the two strokes is still there to take back.
  await undo.click();
  expect(await drawing()).toBe(before.drawing);
  expect(pageErrors).toEqual([]);
}, 60_000);

it('records how long the answer took after the pen lifted', async () => {
  await open(server.url);
  await expect(page.evaluate(() => document.body.dataset.answerMs)).resolves.toBeUndefined();
  await trace(testDigits(1).pixels[0]);
  const ms = Number(await page.evaluate(() => document.body.dataset.answerMs));
  expect(Number.isFinite(ms) && ms >= 0).toBe(true);
  await expect(page.locator('#answer-time').textContent()).resolves.toMatch(
    /^Answered \d+\.\d ms after the pen lifted\.$/,
  );
  expect(pageErrors).toEqual([]);
}, 60_000);

it('offers the first two MNIST test digits of each class, which go on the pad and are read like drawings', async () => {
  await open(server.url);
  const expected = galleryDigits();
  const thumbnails = page.locator('#gallery button');
  await expect(thumbnails.count()).resolves.toBe(20);
  let right = 0;
  for (const [i, { pixels, label }] of expected.entries()) {
    const thumbnail = thumbnails.nth(i);
    await expect(thumbnail.getAttribute('aria-label')).resolves.toMatch(
      new RegExp(`^Try MNIST test digit no\\. \\d+, a ${label}$`),
    );
    // A keyboard user reaches the thumbnails and presses them with Enter.
    if (i % 2 === 0) await thumbnail.click();
    else {
      await thumbnail.focus();
      await page.keyboard.press('Enter');
    }
    const shown = await shownLabel();
    expect(shown).toMatch(/^\d$/);
    if (Number(shown) === label) right++;

    // The pad shows that digit scaled up, each of its pixels a 10 x 10 block of ink on paper:
    // paper exactly where MNIST's pixel is background.
    const pad = await drawingPixels();
    const paperAt = (x: number, y: number) => pad.data[4 * ((10 * y + 5) * pad.width + 10 * x + 5)];
    for (let p = 0; p < 784; p++) {
      expect(paperAt(p % 28, Math.floor(p / 28)) === 255).toBe(pixels[p] === 0);
    }
    // And the preview is what Node prepares of the same pad.
    expect(await previewPixels()).toEqual(await preparedInNode());
  }
  expect(right).toBeGreaterThanOrEqual(15);

  // Undo and clear work on a gallery digit as on a drawing.
  const last = await drawing();
  await thumbnails.nth(0).click();
  await page.click('#undo');
  expect(await drawing()).toBe(last);
  await page.click('#clear');
  await expect(shownLabel()).resolves.toBe('–');
  expect(pageErrors).toEqual([]);
}, 60_000);

it('follows the system into dark mode, keeping the pad white paper that still reads right', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  try {
    await open(server.url);
    const colours = await page.evaluate(() => ({
      page: getComputedStyle(document.documentElement).backgroundColor,
      text: getComputedStyle(document.body).color,
      pad: getComputedStyle(document.querySelector('#pad')!).backgroundColor,
    }));
    /** The mean of a CSS colour's red, green and blue, from 0 (black) to 1 (white). */
    const lightness = (colour: string) => {
      const [r, g, b] = colour.match(/\d+(\.\d+)?/g)!.map(Number);
      return (r + g + b) / (3 * 255);
    };
    expect(lightness(colours.page)).toBeLessThan(0.2);
    expect(lightness(colours.text)).toBeGreaterThan(0.8);
    expect(lightness(colours.pad)).toBe(1);

    await trace(testDigits(1).pixels[0]);
    const reply = await postJson(`${server.url}api/predict`, { image: await drawing() });
    expect(reply.json()).toMatchObject({ label: Number(await shownLabel()) });
    expect(await previewPixels()).toEqual(await preparedInNode());
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
  expect(pageErrors).toEqual([]);
}, 60_000);

it("switches between the server's models in the page, re-reading the drawing with each", async () => {
  await open(twoModelServer.url);
  const choice = page.locator('#model-choice');
  await expect(page.locator('#model-switch').isVisible()).resolves.toBe(true);
  await expect(choice.locator('option').allTextContents()).resolves.toEqual([
    'forest (forest)',
    'digit-names (svm)',
  ]);
  await expect(choice.inputValue()).resolves.toBe('forest');

  await trace(testDigits(1).pixels[0]);
  const forest = { label: await shownLabel(), bars: await bars() };
  expect(forest.bars.every((bar) => bar.value.endsWith('%'))).toBe(true);

  // The names model: decision scores, not percentages, for classes that are words.
  await choice.selectOption('digit-names');
  await page.waitForSelector('body[data-state="ready"]');
  await expect(page.locator('#model').textContent()).resolves.toBe(
    'svm model from digit-names.safetensors · scores, not probabilities · running in this page',
  );
  await expect(page.locator('#probabilities').getAttribute('data-kind')).resolves.toBe('scores');
  const names = await bars();
  expect(names.map((bar) => bar.label)).toEqual([...NAMES].sort());
  expect(names.some((bar) => bar.value.includes('%'))).toBe(false);
  // Its answer is the names model's, for the drawing on the pad.
  const [answer] = DigitPredictor.fromBytes(namesModel).predict([
    prepareDigitImage(await drawingPixels()),
  ]);
  await expect(shownLabel()).resolves.toBe(answer.label);
  expect(names.map((bar) => Number(bar.value))).toEqual(
    answer.scores!.map((score) => Number(score.toFixed(2))),
  );
  expect(names.find((bar) => bar.predicted)?.label).toBe(answer.label);

  // Every name fits its column on one line, and the bars all start at the same place.
  const layout = await page.locator('#probabilities li').evaluateAll((items) =>
    items.map((item) => {
      const label = item.querySelector('.label')!;
      const text = document.createRange();
      text.selectNodeContents(label);
      return {
        lines: text.getClientRects().length,
        overflows: label.scrollWidth > label.clientWidth,
        labelRight: label.getBoundingClientRect().right,
        barLeft: item.querySelector('.bar')!.getBoundingClientRect().left,
      };
    }),
  );
  for (const row of layout) {
    expect(row).toMatchObject({ lines: 1, overflows: false });
    expect(row.labelRight).toBeLessThanOrEqual(row.barLeft);
    expect(row.barLeft).toBe(layout[0].barLeft);
  }

  // Back to the forest: the same answer as before, in percentages.
  await choice.selectOption('forest');
  await page.waitForSelector('body[data-state="ready"]');
  await expect(shownLabel()).resolves.toBe(forest.label);
  await expect(bars()).resolves.toEqual(forest.bars);
  expect(pageErrors).toEqual([]);
}, 60_000);
