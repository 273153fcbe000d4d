// Runs every numbered example as `pnpm example NN` would, in small mode (a few hundred digits),
// and checks what a reader would: it exits cleanly, its accuracy is sensible for the data it
// saw, and the pictures it announces exist. Two examples run at a time.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const EXAMPLES_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const OUTPUT = mkdtempSync(join(tmpdir(), 'typedlearn-examples-'));

/** The least test accuracy each example must print with its small training sets (floors well
 * below what they reach, so only a broken model fails). Absent: the example prints none. */
const ACCURACY_FLOOR: Record<string, number> = {
  '02': 0.8,
  '03': 0.85,
  '04': 0.8,
  '05': 0.75,
  '06': 0.8,
  '07': 0.7,
  '08': 0.85,
  '09': 0.85,
  '10': 0.85,
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runExample(file: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=typedlearn-source', '--import', TSX_LOADER, join(EXAMPLES_DIR, file)],
      {
        // Run inside the output folder, so the pictures are announced by their file names.
        cwd: OUTPUT,
        env: { ...process.env, TYPEDLEARN_EXAMPLE_SMALL: '1', TYPEDLEARN_EXAMPLE_OUTPUT: OUTPUT },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        }),
    );
  });
}

/** Starts the examples two at a time, in order; each promise settles when its run ends. */
function runTwoAtATime(files: string[]): Map<string, Promise<Run>> {
  const runs = new Map<string, Promise<Run>>();
  let previous: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  files.forEach((file, i) => {
    const run = previous[i % 2].then(() => runExample(file));
    previous[i % 2] = run;
    runs.set(file, run);
  });
  previous = [];
  return runs;
}

const files = readdirSync(EXAMPLES_DIR)
  .filter((name) => /^\d\d-.*\.ts$/.test(name))
  .sort();
const runs = runTwoAtATime(files);

describe('examples in small mode', () => {
  it('include the ten numbered examples', () => {
    expect(files.map((name) => name.slice(0, 2))).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
    ]);
  });

  for (const file of files) {
    const number = file.slice(0, 2);
    it(`${file} runs, reports and writes its pictures`, { timeout: 180_000 }, async () => {
      const { code, stdout, stderr } = await runs.get(file)!;
      expect(code, `${file} failed:\n${stderr}`).toBe(0);

      const floor = ACCURACY_FLOOR[number];
      if (floor !== undefined) {
        const match = /^accuracy: ([\d.]+)% on (\d+) test (?:digits|rows)$/m.exec(stdout);
        expect(match, `${file} printed no accuracy line:\n${stdout}`).not.toBeNull();
        expect(Number(match![1]) / 100).toBeGreaterThanOrEqual(floor);
      }

      const pictures = [...stdout.matchAll(/^ {2}wrote (.+\.(?:png|svg))$/gm)].map((m) => m[1]);
      expect(pictures.length, `${file} wrote no picture:\n${stdout}`).toBeGreaterThan(0);
      for (const picture of pictures) {
        expect(picture.startsWith(`${number}-`), `${picture} is not in the output folder`).toBe(
          true,
        );
        expect(statSync(join(OUTPUT, picture)).size).toBeGreaterThan(100);
      }
      if (number === '01') {
        expect(stdout.match(/^ {2}\d {3} +\d+ {3}[\d.]+%$/gm)).toHaveLength(10);
        expect(stdout).toMatch(/never-inked positions +\d+ of 784/);
      }
      if (number === '07') expect(stdout).toMatch(/^prediction: \d$/m);
      if (number === '08') expect(stdout).toContain('identical predictions: true');
      if (number === '09') {
        expect(stdout).toMatch(/^read \d+ rows of 4 features \(sepal_length, .*petal_width\)/m);
        expect(stdout).toContain('reloaded: identical predictions: true');
      }
    });
  }
});
