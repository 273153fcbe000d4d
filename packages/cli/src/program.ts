import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { TypedlearnError } from '@typedlearn/tensor';
import { addCompareCommand } from './commands/compare-command.js';
import { addEvaluateCommand } from './commands/evaluate-command.js';
import { addParamsCommand } from './commands/params-command.js';
import { addPredictCommand } from './commands/predict-command.js';
import { addTrainCommand } from './commands/train-command.js';
import { addServeCommand } from './serve/serve-command.js';
import { UsageError } from './usage-error.js';

/** Exit codes: 0 success, 1 the work failed (a missing or corrupt file, ...), 2 a usage mistake. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The version in the package's manifest, one folder above this module in `src/` and in `dist/`. */
export const VERSION: string = createRequire(import.meta.url)('../package.json').version;

/**
 * The `typedlearn` command with its subcommands; output goes to the process's streams. Each
 * command's options and help are defined up front, but its implementation (and the models,
 * data and chart libraries it needs) is imported only when it runs, so `--help` and usage
 * mistakes answer at once.
 */
export function createProgram(): Command {
  const program = new Command('typedlearn')
    .description(
      'Train, evaluate and compare handwritten-digit classifiers on MNIST, and read digits from images.',
    )
    .usage('<command> [options]')
    .version(VERSION, '-V, --version', 'print the version of typedlearn')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 the work failed (a missing or corrupt file, ...), 2 a usage mistake.',
    );
  addTrainCommand(program);
  addEvaluateCommand(program);
  addPredictCommand(program);
  addCompareCommand(program);
  addServeCommand(program);
  addParamsCommand(program);
  return program;
}

/**
 * Runs the CLI on `args` (without the node and script paths) and resolves to the exit code.
 * Usage mistakes (unknown flags, bad values) exit with 2; typedlearn's own errors (a corrupt
 * model file, a bad image, ...) and the system's (a folder that cannot be written, a full
 * disk) print their message, which names the file, and exit with 1. Anything else is a bug
 * and keeps its stack trace.
 */
export async function runCli(args: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message (or the help, for --help: exit code 0).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n(add --help for usage)\n`);
      return EXIT.usage;
    }
    if (error instanceof TypedlearnError || isSystemError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT.failure;
    }
    throw error;
  }
}

/** An error from the operating system, such as `EACCES: permission denied, open 'x'`. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
