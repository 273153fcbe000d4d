// The browser-safe packages as ES modules a browser loads with no bundler of the user's: each
// package's main entry bundled with its third-party dependencies (ndarray and ndarray-ops are
// CommonJS, which a browser cannot import), and the other @typedlearn packages left as imports,
// so the page maps each name to its bundle with an import map and every class exists once.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { nodeBuiltinsStayOut } from '../packages/cli/src/serve/web-demo.js';

/** The packages whose main entry runs in a browser, in dependency order. */
export const BROWSER_PACKAGES = ['tensor', 'data', 'io', 'metrics', 'classifiers'] as const;
export type BrowserPackage = (typeof BROWSER_PACKAGES)[number];

/** Where a package's bundle is shipped, relative to the package's folder (its `./browser` export). */
export const BROWSER_BUNDLE = 'dist/browser/index.js';

const PACKAGES_DIR = fileURLToPath(new URL('../packages/', import.meta.url));

/** The folder of a package in this repository. */
export function packageDir(name: BrowserPackage): string {
  return `${PACKAGES_DIR}${name}/`;
}

/** Bundles `@typedlearn/<name>`'s main entry from its TypeScript sources into `outfile`, minified. */
export async function bundleForBrowser(name: BrowserPackage, outfile: string): Promise<void> {
  await build({
    entryPoints: [`${packageDir(name)}src/index.ts`],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['typedlearn-source'],
    external: ['@typedlearn/*'],
    // The subpath exists so Node's worker threads can skip ndarray; a page has the whole package.
    alias: { '@typedlearn/tensor/rng': '@typedlearn/tensor' },
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [nodeBuiltinsStayOut],
  });
}
