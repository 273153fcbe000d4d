import type { Command } from 'commander';
import { integerIn } from '../option-values.js';
import type { CompareOptions } from './compare.js';

/** Where `compare` writes, relative to the working directory (the repository root for `pnpm start`). */
const BEST_MODEL_PATH = 'models/best.safetensors';
const REPORT_PATH = 'reports/mnist/index.html';

export function addCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      `Train and evaluate the classifiers, print a comparison, save the best model to ` +
        `${BEST_MODEL_PATH} and write an offline HTML report to ${REPORT_PATH} (this is \`pnpm start\`).`,
    )
    .option('--data <dir>', 'a folder with the four MNIST-format IDX files (default: MNIST)')
    .option('--train-size <n>', 'use the first n training images (default: all)', integerIn(1))
    .option('--test-size <n>', 'evaluate on the first n test images (default: all)', integerIn(1))
    .option('--seed <s>', 'seed for everything random', integerIn(0, 2 ** 32 - 1), 0)
    .option(
      '--threads <t>',
      'worker threads (default: one per core; any count gives the same models)',
      integerIn(1, 256),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  pnpm start\n  typedlearn compare --train-size 5000 --test-size 1000',
    )
    .action(async (options: Omit<CompareOptions, 'bestModelPath' | 'reportPath'>) => {
      const { compare } = await import('./compare.js');
      await compare({ ...options, bestModelPath: BEST_MODEL_PATH, reportPath: REPORT_PATH });
    });
}
