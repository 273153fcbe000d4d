// The browser bundles in a real browser, as a user without a bundler would load them: a plain
// page maps the five package names to their bundles with an import map, and a
// <script type="module"> fits softmax regression on 500 MNIST digits and reads a small CSV. The
// page must give the predictions the same fit gives in Node, without a single JavaScript error.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SoftmaxRegression } from '@typedlearn/classifiers';
import { flattenImages, takeRows, toFloat01 } from '@typedlearn/data';
import { loadMnist } from '@typedlearn/data/node';
import { BROWSER_PACKAGES, bundleForBrowser } from '../browser-bundles.js';
import { CHROMIUM_ARGS, chromiumExecutable } from '../chromium.js';

const ROWS = 500;

/** What the page leaves in `window.result`. */
interface BrowserResult {
  predictions: number[];
  accuracy: number;
  csv: { X: number[]; shape: number[]; y: string[] };
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<script type="importmap">
${JSON.stringify({ imports: Object.fromEntries(BROWSER_PACKAGES.map((name) => [`@typedlearn/${name}`, `/${name}.js`])) })}
</script>
<script type="module">
  import { Tensor } from '@typedlearn/tensor';
  import { toFloat01 } from '@typedlearn/data';
  import { parseCsv } from '@typedlearn/io';
  import { accuracy } from '@typedlearn/metrics';
  import { SoftmaxRegression } from '@typedlearn/classifiers';

  const { pixels, labels } = await (await fetch('/digits.json')).json();
  const X = toFloat01(new Tensor(Uint8Array.from(pixels), [labels.length, 784]));
  const y = Int32Array.from(labels);
  const model = new SoftmaxRegression({ C: 1 });
  await model.fit(X, y, { seed: 0 });
  const predictions = model.predict(X);
  const table = parseCsv('"a",b,label\\r\\n1.5,-2,"x, y"\\r\\n3,4e1,z\\r\\n', { label: 'label' });
  const csv = { X: Array.from(table.X.data), shape: table.X.shape, y: table.y };
  window.result = { predictions: Array.from(predictions), accuracy: accuracy(y, predictions), csv };
</script>`;

let dir: string;
let server: Server;
let browser: Browser;
let digits: { pixels: number[]; labels: number[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'typedlearn-bundles-'));
  for (const name of BROWSER_PACKAGES) await bundleForBrowser(name, join(dir, `${name}.js`));
  const { train } = loadMnist();
  const rows = Array.from({ length: ROWS }, (_, i) => i);
  digits = {
    pixels: Array.from(takeRows(flattenImages(train.images), rows).data),
    labels: Array.from(train.labels.subarray(0, ROWS)),
  };
  server = createServer((request, response) => {
    const name = request.url!.slice(1);
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (request.url === '/digits.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(digits));
    } else if (BROWSER_PACKAGES.some((pkg) => `${pkg}.js` === name)) {
      readFile(join(dir, name)).then((body) =>
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: await chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('fits softmax regression on 500 digits in a page that loads the bundles with an import map', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const result = await page
    .waitForFunction(() => (window as { result?: unknown }).result, null, { timeout: 60_000 })
    .then((handle) => handle.jsonValue() as Promise<BrowserResult>)
    .catch((error) => {
      throw new Error(`the page did not finish; its errors: ${errors.join('; ')}`, {
        cause: error,
      });
    });
  expect(errors).toEqual([]);
  // csv-parse's browser build, bundled into @typedlearn/io's: quotes and CRLF line ends.
  expect(result.csv).toEqual({ X: [1.5, -2, 3, 40], shape: [2, 2], y: ['x, y', 'z'] });

  const model = new SoftmaxRegression({ C: 1 });
  const X = toFloat01(
    takeRows(
      flattenImages(loadMnist().train.images),
      digits.labels.map((_, i) => i),
    ),
  );
  await model.fit(X, Int32Array.from(digits.labels), { seed: 0 });
  expect(result.predictions).toEqual(Array.from(model.predict(X)));
  expect(result.accuracy).toBeGreaterThan(0.95);
}, 120_000);
