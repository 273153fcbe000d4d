import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { integerIn } from '../option-values.js';
import { COMPARE_SETUP } from './compare-setup.js';
import type { CompareOptions } from './compare.js';

/** Where `compare` writes, under `--out-dir` (the working directory by default). */
const BEST_MODEL_PATH = 'models/best.safetensors';
const REPORT_PATH = 'reports/mnist/index.html';

/** `--models softmax,svm`: a comma-separated list of candidates from {@link COMPARE_SETUP}. */
function candidateNames(text: string): string[] {
  const known = COMPARE_SETUP.map((candidate) => candidate.model);
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(
      `Unknown model ${unknown.map((name) => `'${name}'`).join(', ')}: expected a comma-separated list of ${known.join(', ')}.`,
    );
  }
  return names;
}

interface CompareFlags extends Omit<CompareOptions, 'bestModelPath' | 'reportPath'> {
  outDir: string;
}

export function addCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'Train the classifiers, each with the best settings and preprocessing the library knows, ' +
        'choose the best on a validation split of the training images, refit it on all of them, ' +
        `save it to ${BEST_MODEL_PATH} and write an offline HTML report to ${REPORT_PATH} (this is \`pnpm start\`).`,
    )
    .option('--data <dir>', 'a folder with the four MNIST-format IDX files (default: MNIST)')
    .option('--train-size <n>', 'use the first n training images (default: all)', integerIn(1))
    .option('--test-size <n>', 'evaluate on the first n test images (default: all)', integerIn(1))
    .option(
      '--models <names>',
      `the candidates to compare, comma-separated (default: all: ${COMPARE_SETUP.map((c) => c.model).join(',')})`,
      candidateNames,
    )
    .option(
      '--out-dir <dir>',
      `the folder under which ${BEST_MODEL_PATH} and ${REPORT_PATH} are written`,
      '.',
    )
    .option('--seed <s>', 'seed for everything random', integerIn(0, 2 ** 32 - 1), 0)
    .option(
      '--threads <t>',
      'worker threads (default: one per core; any count gives the same models)',
      integerIn(1, 256),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  pnpm start\n  typedlearn compare --train-size 5000 --test-size 1000 --models softmax,forest --out-dir runs/small',
    )
    .action(async ({ outDir, ...options }: CompareFlags) => {
      const { compare } = await import('./compare.js');
      await compare({
        ...options,
        bestModelPath: join(outDir, BEST_MODEL_PATH),
        reportPath: join(outDir, REPORT_PATH),
      });
    });
}
