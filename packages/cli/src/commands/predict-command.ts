import type { Command } from 'commander';
import type { PredictOptions } from './predict.js';

export function addPredictCommand(program: Command): void {
  program
    .command('predict')
    .description(
      'Read the digit in each PNG or JPEG image (any size; dark-on-light or light-on-dark).',
    )
    .argument('<image...>', 'PNG or JPEG files')
    .requiredOption('--model <file>', 'a model file written by `typedlearn train`')
    .option(
      '--json',
      'print a JSON array [{ "file", "digit", "probabilities": [10 numbers] }] in the order given',
    )
    .addHelpText(
      'after',
      '\nExample:\n  typedlearn predict --model models/best.safetensors seven.png three.jpg',
    )
    .action(async (files: string[], options: PredictOptions) => {
      const { predict } = await import('./predict.js');
      await predict(files, options);
    });
}
