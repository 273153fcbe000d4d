// The drawing page's bundle: built offline by esbuild from the library's sources, with the
// model code in it and nothing that only runs in Node.
import { expect, it } from 'vitest';
import { build } from 'esbuild';
import { bundleWebDemo, loadWebDemo, nodeBuiltinsStayOut } from '@typedlearn/cli/serve';

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
  const bundle = (contents: string) =>
    build({
      stdin: { contents, loader: 'ts', sourcefile: 'page.ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      plugins: [nodeBuiltinsStayOut],
    });
  await expect(
    bundle("import { readFileSync } from 'node:fs'; readFileSync('x');"),
  ).rejects.toThrow(
    /page\.ts imports node:fs \(import-statement\): Node-only code must not reach the drawing page/,
  );
  const { outputFiles } = await bundle("export const load = () => import('node:worker_threads');");
  const script = outputFiles[0].text;
  expect(script).not.toContain('node:');
  // The stand-in module throws when it is loaded, as a browser would refuse the import.
  const module = (await import(
    `data:text/javascript;base64,${Buffer.from(script).toString('base64')}`
  )) as { load: () => Promise<unknown> };
  await expect(module.load()).rejects.toThrow(
    "Node's built-in module 'worker_threads' is not available in a browser",
  );
});
