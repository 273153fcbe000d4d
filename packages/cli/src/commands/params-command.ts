import { Argument, type Command } from 'commander';
import { modelEntry, modelTypes } from '@typedlearn/classifiers';

export function addParamsCommand(program: Command): void {
  program
    .command('params')
    .description(
      "List a model's hyper-parameters (the keys of train's --set) with their defaults and meaning.",
    )
    .addArgument(new Argument('[model]', 'one model (default: every model)').choices(modelTypes()))
    .addHelpText('after', '\nExamples:\n  typedlearn params\n  typedlearn params svm')
    .action((model: string | undefined) => {
      process.stdout.write(hyperParameterText(model === undefined ? modelTypes() : [model]));
    });
}

/** Each model's hyper-parameters as aligned text: name, default, meaning. */
export function hyperParameterText(models: readonly string[]): string {
  return models
    .map((model) => {
      const rows = modelEntry(model).parameters.map(({ name, default: value, description }) => [
        name,
        JSON.stringify(value),
        description,
      ]);
      const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
      const lines = rows.map(
        ([name, value, description]) =>
          `  ${name.padEnd(widths[0])}  ${value.padEnd(widths[1])}  ${description}`,
      );
      return `${model} (--model ${model}):\n${lines.join('\n')}\n`;
    })
    .join('\n');
}
