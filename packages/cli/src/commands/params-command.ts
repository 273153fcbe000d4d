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

/** Defaults longer than this (the convnet's layer list) do not widen the column of defaults. */
const LONG_DEFAULT = 24;

/**
 * Each model's hyper-parameters as aligned text: name, default, meaning. A default longer than
 * {@link LONG_DEFAULT} characters is printed whole and its meaning goes on the next line, in
 * the meanings' column, so one long value does not push every other meaning to the right.
 */
export function hyperParameterText(models: readonly string[]): string {
  return models
    .map((model) => {
      const rows = modelEntry(model).parameters.map(({ name, default: value, description }) => [
        name,
        JSON.stringify(value),
        description,
      ]);
      const nameWidth = Math.max(...rows.map(([name]) => name.length));
      const valueWidth = Math.max(
        1,
        ...rows.map(([, value]) => value.length).filter((length) => length <= LONG_DEFAULT),
      );
      const lines = rows.map(([name, value, description]) => {
        const head = `  ${name.padEnd(nameWidth)}  `;
        if (value.length <= valueWidth) return `${head}${value.padEnd(valueWidth)}  ${description}`;
        return `${head}${value}\n${' '.repeat(head.length + valueWidth + 2)}${description}`;
      });
      return `${model} (--model ${model}):\n${lines.join('\n')}\n`;
    })
    .join('\n');
}
