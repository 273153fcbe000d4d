// The drawing page's bundle: built offline by esbuild from the library's sources, with the
// model code and the gallery's MNIST digits in it and nothing that only runs in Node.
import { expect, it } from 'vitest';
import { build, type Plugin } from 'esbuild';
import { loadMnist } from '@typedlearn/data/node';
import {
  bundleWebDemo,
  loadWebDemo,
  mnistGallery,
  nodeBuiltinsStayOut,
} from '@typedlearn/cli/serve';

/** Bundles `contents` (TypeScript) for the browser with `plugins`, in memory. */
function bundle(contents: string, plugins: Plugin[]) {
  return build({
    stdin: { contents, loader: 'ts', sourcefile: 'page.ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    plugins,
  });
}

/** Imports a bundled script as a module. */
function importScript<T>(script: string): Promise<T> {
  return import(
    `data:text/javascript;base64,${Buffer.from(script).toString('base64')}`
  ) as Promise<T>;
}

it('bundles the page with the library and keeps Node-only modules out', async () => {
  const { files, inputs } = await bundleWebDemo();
  expect([...files.keys()].sort()).toEqual(['app.js', 'app.js.map', 'index.html', 'style.css']);

  // What the page runs: model decoding, the classifiers, digit-image preparation.
  for (const needed of [
    'packages/classifiers/src/model-file/model-format.ts',
    'packages/classifiers/src/registry.ts',
    'packages/data/src/images/prepare-digit-image.ts',
    'packages/cli/src/serve/digit-predictor.ts',
    'packages/cli/web/src/main.ts',
  ]) {
    expect(inputs.some((input) => input.endsWith(needed))).toBe(true);
  }
  // What it must not: file reading, MNIST loading, the server.
  const nodeOnly = inputs.filter((input) =>
    /model-file\/node\.ts$|data\/src\/(node|read-idx|mnist)\.ts$|cli\/src\/(?!serve\/digit-predictor)/.test(
      input,
    ),
  );
  expect(nodeOnly).toEqual([]);
  expect(inputs.filter((input) => input.includes('node:'))).toEqual([]);
  // The gallery's digits are built in: the page fetches them from nowhere.
  expect(inputs).toContain('mnist-gallery:virtual:mnist-gallery');
  const script = new TextDecoder().decode(files.get('app.js'));
  expect(script).not.toMatch(/["']node:|require\(/);
  expect(script).toMatch(/sourceMappingURL=app\.js\.map/);
});

it('serves the page at / and its assets beside it, with their types', async () => {
  const demo = await loadWebDemo();
  expect(demo.get('/')?.contentType).toBe('text/html; charset=utf-8');
  expect(new TextDecoder().decode(demo.get('/')?.body)).toMatch(
    /<script type="module" src="app\.js">/,
  );
  expect(demo.get('/app.js')?.contentType).toBe('text/javascript; charset=utf-8');
  expect(demo.get('/style.css')?.contentType).toBe('text/css; charset=utf-8');
});

it('fails the build on a static import of a Node built-in, and stands in for a dynamic one', async () => {
  await expect(
    bundle("import { readFileSync } from 'node:fs'; readFileSync('x');", [nodeBuiltinsStayOut]),
  ).rejects.toThrow(
    /page\.ts imports node:fs \(import-statement\): Node-only code must not reach the drawing page/,
  );
  const { outputFiles } = await bundle("export const load = () => import('node:worker_threads');", [
    nodeBuiltinsStayOut,
  ]);
  const script = outputFiles[0].text;
  expect(script).not.toContain('node:');
  // The stand-in module throws when it is loaded, as a browser would refuse the import.
  const module = await importScript<{ load: () => Promise<unknown> }>(script);
  await expect(module.load()).rejects.toThrow(
    "Node's built-in module 'worker_threads' is not available in a browser",
  );
});

it('builds the first two MNIST test digits of each class into the gallery module', async () => {
  const { outputFiles } = await bundle("export { galleryDigits } from 'virtual:mnist-gallery';", [
    mnistGallery,
  ]);
  const { galleryDigits } = await importScript<{
    galleryDigits: { testIndex: number; label: number; pixels: Uint8Array }[];
  }>(outputFiles[0].text);
  const { test } = loadMnist();
  const firstTwoOfEach: number[] = [];
  for (let label = 0; label < 10; label++) {
    const ofLabel = [...test.labels.keys()].filter((i) => test.labels[i] === label);
    firstTwoOfEach.push(...ofLabel.slice(0, 2));
  }
  expect(galleryDigits.map((digit) => digit.testIndex)).toEqual(firstTwoOfEach);
  for (const { testIndex, label, pixels } of galleryDigits) {
    expect(label).toBe(test.labels[testIndex]);
    expect(pixels).toEqual(test.images.row(testIndex).contiguousData());
  }
});
