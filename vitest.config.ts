// Tests run on sources: every @typedlearn/* import resolves to the package's TypeScript source,
// so `pnpm test` needs no build step.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './tools/summary-reporter.js';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/** `@typedlearn/<pkg>[/<subpath>]` -> the TypeScript source its `exports` name under the `typedlearn-source` condition. */
function sourceAliases(): { find: RegExp; replacement: string }[] {
  const aliases = [];
  for (const dir of readdirSync(packagesDir)) {
    const manifest = `${packagesDir}${dir}/package.json`;
    if (!existsSync(manifest)) continue;
    const { name, exports = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [subpath, target] of Object.entries<{ 'typedlearn-source'?: string }>(exports)) {
      const source = target['typedlearn-source'];
      if (source === undefined) continue;
      const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
      aliases.push({
        find: new RegExp(`^${specifier}$`),
        replacement: `${packagesDir}${dir}/${source.slice(2)}`,
      });
    }
  }
  return aliases;
}

export default defineConfig({
  resolve: { alias: sourceAliases() },
  test: {
    reporters: ['default', new SummaryReporter()],
    include: [
      'packages/*/test/**/*.test.ts',
      'benchmarks/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
      'tools/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
