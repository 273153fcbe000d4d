import { Option, type Command } from 'commander';
import type { PredictOptions } from './predict.js';

export function addPredictCommand(program: Command): void {
  program
    .command('predict')
    .description(
      'Read the digit (or whatever the model learned) in each PNG or JPEG image: any size, dark-on-light or light-on-dark.',
    )
    .argument(
      '<image...>',
      'PNG or JPEG files, or folders (each file inside is read, sorted by name)',
    )
    .requiredOption('--model <file>', 'a model file written by `typedlearn train`')
    .addOption(
      new Option(
        '--invert <when>',
        'invert the grey levels so the ink is light on dark, as in MNIST: auto decides from the whole image (the ink is the minority of pixels)',
      )
        .choices(['auto', 'yes', 'no'])
        .default('auto'),
    )
    .option(
      '--json',
      'print one JSON object { "model", "classes", "answers", "predictions": [{ "file", "label", "probabilities", "scores" } or { "file", "error" }] }, in the order given; "probabilities" is null for a model without them (an SVM fitted without --set probability=true), which gives decision "scores" instead',
    )
    .addHelpText(
      'after',
      '\nEvery file gets its answer or its own error; the exit code is 1 when any failed, after all were read.\n\n' +
        'Example:\n  typedlearn predict --model models/best.safetensors seven.png three.jpg my-digits/',
    )
    .action(async (files: string[], options: PredictOptions) => {
      const { predict } = await import('./predict.js');
      await predict(files, options);
    });
}
