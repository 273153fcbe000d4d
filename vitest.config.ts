// Tests run on sources: every @typedlearn/* import resolves to that package's src/index.ts,
// so `pnpm test` needs no build step.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));
const alias = readdirSync(packagesDir)
  .filter((name) => existsSync(`${packagesDir}${name}/src/index.ts`))
  .map((name) => ({
    find: new RegExp(`^@typedlearn/${name}$`),
    replacement: `${packagesDir}${name}/src/index.ts`,
  }));

export default defineConfig({
  resolve: { alias },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'benchmarks/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
