// `pnpm example 03` runs examples/03-*.ts; `pnpm example` lists them. Extra arguments are passed
// on (e.g. `pnpm example 07 my-digit.png`, `pnpm example 01 --small`).
//
// The example runs in a child Node process with tsx as its loader and the `typedlearn-source`
// export condition, so `@typedlearn/*` imports resolve to the packages' TypeScript sources and
// nothing has to be built first (the same way `pnpm start` runs the CLI).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const EXAMPLES_DIR = fileURLToPath(new URL('.', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The example scripts, in order: `01-explore-mnist.ts`, `02-...`. */
function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => /^\d\d-.*\.ts$/.test(name))
    .sort();
}

const [choice, ...rest] = process.argv.slice(2);
const files = exampleFiles();
const file =
  choice === undefined
    ? undefined
    : files.find((name) => name.startsWith(`${choice.padStart(2, '0')}-`));

if (file === undefined) {
  if (choice !== undefined) console.error(`no example numbered '${choice}'`);
  console.error('usage: pnpm example NN [args] [--small]\n\nexamples:');
  for (const name of files) console.error(`  ${name.slice(0, 2)}  ${name.slice(3, -3)}`);
  process.exitCode = choice === undefined ? 0 : 2;
} else {
  const child = spawn(
    process.execPath,
    ['--conditions=typedlearn-source', '--import', TSX_LOADER, `${EXAMPLES_DIR}${file}`, ...rest],
    { stdio: 'inherit' },
  );
  // Ctrl-C reaches the child through the terminal; the runner just reports how it ended.
  process.on('SIGINT', () => {});
  child.on('close', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
}
