import type { Command } from 'commander';
import type { EvaluateOptions } from './evaluate.js';

export function addEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Evaluate a saved model on the test set: accuracy, classification report, confusion matrix.',
    )
    .requiredOption('--model <file>', 'a model file written by `typedlearn train`')
    .option('--data <dir>', 'a folder with the four MNIST-format IDX files (default: MNIST)')
    .option(
      '--json',
      'print one JSON object { "accuracy", "report", "confusionMatrix" } instead of text',
    )
    .addHelpText(
      'after',
      '\nExample:\n  typedlearn evaluate --model models/best.safetensors --json',
    )
    .action(async (options: EvaluateOptions) => {
      const { evaluate } = await import('./evaluate.js');
      await evaluate(options);
    });
}
