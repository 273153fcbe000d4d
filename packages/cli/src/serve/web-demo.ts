import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@typedlearn/data/node';
import { TypedlearnError } from '@typedlearn/tensor';
import type { Plugin } from 'esbuild';

/** One file of the drawing page, as served. */
export interface WebAsset {
  contentType: string;
  body: Uint8Array;
}

/** The drawing page's files by URL path: `/` (the page), `/app.js`, `/app.js.map`, `/style.css`. */
export type WebDemo = ReadonlyMap<string, WebAsset>;

/** The files of a build of the page, by name, and the source files bundled into `app.js`. */
export interface WebDemoBuild {
  files: ReadonlyMap<string, Uint8Array>;
  /**
   * Every module in the bundle: absolute paths, `node-builtin:<name>` for the stand-ins of
   * Node's built-ins, and `mnist-gallery:<name>` for the gallery's digits.
   */
  inputs: string[];
}

/** The page's sources (HTML, CSS, browser TypeScript), from `src/serve` or `dist/serve`. */
const SOURCE_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
/** Where `pnpm build` (tools/build.ts) writes the built page. */
export const PREBUILT_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
/** True when this module runs from its TypeScript source (tests, `pnpm typedlearn`). */
const FROM_SOURCES = import.meta.url.endsWith('.ts');

const CONTENT_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
};
const STATIC_FILES = ['index.html', 'style.css'];

/**
 * The drawing page. Run from the sources, the page's script is bundled afresh (esbuild, in
 * memory, well under a second); the compiled CLI reads the files `pnpm build` wrote to
 * `dist/web/`, and bundles only when they are missing.
 */
export async function loadWebDemo(): Promise<WebDemo> {
  const files = FROM_SOURCES ? undefined : await readPrebuilt();
  const build = files ?? (await bundleWebDemo()).files;
  const demo = new Map<string, WebAsset>();
  for (const [name, body] of build) {
    demo.set(name === 'index.html' ? '/' : `/${name}`, { contentType: CONTENT_TYPES[name], body });
  }
  return demo;
}

/**
 * Bundles the page's script with the library's browser-safe entry points (model decoding,
 * the classifiers, `prepareDigitImage`, all from their TypeScript sources) into `app.js`
 * with a source map, next to the page's HTML and CSS. Needs esbuild (a development
 * dependency) and no network.
 */
export async function bundleWebDemo(): Promise<WebDemoBuild> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new TypedlearnError(
      'the drawing page is not built and esbuild is not installed to build it: run ' +
        '`pnpm build` in a checkout of typedlearn',
      { cause: error },
    );
  }
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [join(SOURCE_DIR, 'src/main.ts')],
      outfile: join(SOURCE_DIR, 'app.js'),
      absWorkingDir: SOURCE_DIR,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['typedlearn-source'],
      minify: true,
      sourcemap: 'linked',
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [nodeBuiltinsStayOut, mnistGallery],
    });
  } catch (error) {
    const failures = (error as { errors?: { text: string }[] }).errors ?? [];
    const detail = failures.map((failure) => failure.text).join('; ') || String(error);
    throw new TypedlearnError(`cannot build the drawing page: ${detail}`, { cause: error });
  }
  const files = new Map<string, Uint8Array>();
  for (const name of STATIC_FILES) files.set(name, await readFile(join(SOURCE_DIR, name)));
  for (const output of result.outputFiles) {
    files.set(output.path.slice(output.path.lastIndexOf('/') + 1), output.contents);
  }
  const inputs = Object.keys(result.metafile.inputs).map((input) =>
    /^(node-builtin|mnist-gallery):/.test(input) ? input : resolve(SOURCE_DIR, input),
  );
  return { files, inputs };
}

/** Builds the page into `dir` (default `dist/web/`), for the compiled CLI. */
export async function writeWebDemo(dir = PREBUILT_DIR): Promise<string[]> {
  const { files } = await bundleWebDemo();
  await mkdir(dir, { recursive: true });
  for (const [name, body] of files) await writeFile(join(dir, name), body);
  return [...files.keys()];
}

async function readPrebuilt(): Promise<Map<string, Uint8Array> | undefined> {
  const files = new Map<string, Uint8Array>();
  try {
    for (const name of Object.keys(CONTENT_TYPES)) {
      files.set(name, await readFile(join(PREBUILT_DIR, name)));
    }
  } catch {
    return undefined;
  }
  return files;
}

/**
 * Keeps Node's built-in modules out of the browser bundle. The library reaches them only
 * through `await import('node:...')` behind a Node check (the tensor worker pool, task
 * modules run from `.ts` sources); in the bundle each becomes a module that throws if it is
 * ever loaded. A static import of one would put Node-only code on the page's path, so it
 * fails the build, naming the importer.
 */
export const nodeBuiltinsStayOut: Plugin = {
  name: 'node-builtins-stay-out',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === 'dynamic-import'
        ? { path: args.path.slice('node:'.length), namespace: 'node-builtin' }
        : {
            errors: [
              {
                text: `${args.importer} imports ${args.path} (${args.kind}): Node-only code must not reach the drawing page`,
              },
            ],
          },
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`Node's built-in module '${args.path}' is not available in a browser`)});`,
      loader: 'js',
    }));
  },
};

/** How many digits of each class the page's gallery shows. */
const GALLERY_DIGITS_PER_CLASS = 2;

/**
 * The page's gallery of real MNIST digits, embedded in the bundle when it is built, so that
 * the page needs nothing from anywhere but its own server. The module `virtual:mnist-gallery`
 * exports `galleryDigits`: the first two digits of each class in MNIST's test set (classes 0
 * to 9, each in test-set order), as `{ testIndex, label, pixels }` with the 28 x 28 grey levels
 * (ink = 255) of `loadMnist()`, carried as base64 and decoded when the page loads.
 */
export const mnistGallery: Plugin = {
  name: 'mnist-gallery',
  setup(build) {
    build.onResolve({ filter: /^virtual:mnist-gallery$/ }, (args) => ({
      path: args.path,
      namespace: 'mnist-gallery',
    }));
    build.onLoad({ filter: /.*/, namespace: 'mnist-gallery' }, () => {
      const digits = galleryDigits().map(
        ({ testIndex, label, pixels }) =>
          `{ testIndex: ${testIndex}, label: ${label}, pixels: decode('${Buffer.from(pixels).toString('base64')}') }`,
      );
      return {
        contents:
          'const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));\n' +
          `export const galleryDigits = [\n${digits.join(',\n')}\n];\n`,
        loader: 'js',
      };
    });
  },
};

/** The gallery's digits: the first {@link GALLERY_DIGITS_PER_CLASS} of each class in MNIST's test set. */
function galleryDigits(): { testIndex: number; label: number; pixels: Uint8Array }[] {
  const { test } = loadMnist();
  const picked: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < test.labels.length; i++) {
    const ofClass = picked[test.labels[i]];
    if (ofClass.length < GALLERY_DIGITS_PER_CLASS) ofClass.push(i);
  }
  return picked.flat().map((testIndex) => ({
    testIndex,
    label: test.labels[testIndex],
    pixels: test.images.row(testIndex).contiguousData(),
  }));
}
