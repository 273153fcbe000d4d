// `pnpm build`, after `tsc -b` has compiled every package: the files a package ships that the
// TypeScript compiler does not write. Each browser-safe package gets its browser bundle
// (tools/browser-bundles.ts), and the CLI gets the drawing page that `typedlearn serve` serves.
import { writeWebDemo } from '../packages/cli/src/serve/web-demo.js';
import {
  BROWSER_BUNDLE,
  BROWSER_PACKAGES,
  bundleForBrowser,
  packageDir,
} from './browser-bundles.js';

for (const name of BROWSER_PACKAGES) {
  await bundleForBrowser(name, packageDir(name) + BROWSER_BUNDLE);
}
const page = await writeWebDemo();
process.stdout.write(
  `browser bundles: ${BROWSER_PACKAGES.map((name) => `${name}/${BROWSER_BUNDLE}`).join(', ')}\n` +
    `drawing page: cli/dist/web/ (${page.join(', ')})\n`,
);
