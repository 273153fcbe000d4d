import { InvalidArgumentError } from 'commander';

/**
 * Parsers for the values of command-line options. Each throws commander's
 * `InvalidArgumentError`, which the program reports as a usage error (exit code 2) naming
 * the option, the value given and what was expected.
 */

/** An integer of at least `min` (and at most `max`). */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (
      !/^\s*[+-]?\d+\s*$/.test(text) ||
      !Number.isSafeInteger(value) ||
      value < min ||
      value > max
    ) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`Expected an integer ${range}.`);
    }
    return value;
  };
}

/**
 * One `key=value` hyper-parameter override, collected into `previous`. The value is read as
 * JSON when it is JSON (`C=5`, `hiddenLayers=[128,64]`, `bootstrap=false`) and kept as a
 * string otherwise (`gamma=scale`).
 */
export function collectSetting(
  text: string,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const match = /^([A-Za-z_][\w]*)=(.*)$/s.exec(text);
  if (match === null || match[2] === '') {
    throw new InvalidArgumentError('Expected key=value, e.g. C=5 or gamma=scale.');
  }
  const [, key, raw] = match;
  if (Object.hasOwn(previous, key)) {
    throw new InvalidArgumentError(`'${key}' is set twice.`);
  }
  return { ...previous, [key]: parseSettingValue(raw) };
}

function parseSettingValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** One preprocessing step of `--preprocess`: a name and its optional `=value`. */
export interface PreprocessStep {
  name: string;
  value?: number;
}

/**
 * `--preprocess deskew,pca=50`: a comma-separated list of step names from `known`; a step
 * whose `known` entry is true takes a positive integer (`pca=50`), the others take none.
 */
export function preprocessSteps(
  known: Record<string, boolean>,
): (text: string) => PreprocessStep[] {
  const expected = Object.entries(known)
    .map(([name, takesValue]) => (takesValue ? `${name}=N` : name))
    .join(', ');
  return (text) =>
    text.split(',').map((part) => {
      const [name, value, ...rest] = part.trim().split('=');
      if (!Object.hasOwn(known, name) || rest.length > 0) {
        throw new InvalidArgumentError(`Unknown step '${part}': expected a list of ${expected}.`);
      }
      if (!known[name]) {
        if (value !== undefined) throw new InvalidArgumentError(`'${name}' takes no value.`);
        return { name };
      }
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
        throw new InvalidArgumentError(`'${name}' needs a positive integer, as in ${name}=50.`);
      }
      return { name, value: Number(value) };
    });
}
