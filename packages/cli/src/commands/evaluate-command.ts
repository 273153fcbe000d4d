import type { Command } from 'commander';
import { integerIn } from '../option-values.js';
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
      '--threads <t>',
      'threads to predict on when the model is slow to answer (default: one per core)',
      integerIn(1, 256),
    )
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
