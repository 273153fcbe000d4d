import { Option, type Command } from 'commander';
import { modelTypes } from '@typedlearn/classifiers';
import { collectSetting, integerIn, preprocessSteps } from '../option-values.js';
import { PREPROCESS_STEPS } from '../preprocess-steps.js';
import type { TrainOptions } from './train.js';

export function addTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train a classifier on the training set and save it as a model file.')
    .addOption(
      new Option('--model <name>', 'the classifier to train')
        .choices(modelTypes())
        .makeOptionMandatory(),
    )
    .requiredOption('--out <file>', 'where to save the model (a .safetensors file)')
    .option('--data <dir>', 'a folder with the four MNIST-format IDX files (default: MNIST)')
    .option('--train-size <n>', 'train on the first n training images (default: all)', integerIn(1))
    .option(
      '--test-size <n>',
      'measure the model on the first n test images, recorded in the model file (default: all)',
      integerIn(1),
    )
    .option(
      '--preprocess <steps>',
      `comma-separated transforms fitted before the model: ${Object.entries(PREPROCESS_STEPS)
        .map(([name, takesValue]) => (takesValue ? `${name}=N` : name))
        .join(', ')} (default: none)`,
      preprocessSteps(PREPROCESS_STEPS),
    )
    .option('--seed <s>', 'seed for everything random', integerIn(0, 2 ** 32 - 1), 0)
    .option(
      '--threads <t>',
      'worker threads (default: one per core; any count gives the same model)',
      integerIn(1, 256),
    )
    .option(
      '--set <key=value...>',
      'override a hyper-parameter, e.g. --set C=10 gamma=scale (values are read as JSON when they parse; `typedlearn params MODEL` lists the keys)',
      collectSetting,
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  typedlearn train --model softmax --out models/softmax.safetensors\n' +
        '  typedlearn train --model svm --train-size 10000 --preprocess deskew,pca=50 --set C=5 --out svm.safetensors',
    )
    .action(async (options: TrainOptions) => {
      const { train } = await import('./train.js');
      await train(options);
    });
}
