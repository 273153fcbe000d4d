import { ValueError } from '@typedlearn/tensor';

/**
 * Applies `defaults` to user `options`, refusing keys the model does not have (a typo such
 * as `{ c: 5 }` must not be silently ignored). Options whose value is `undefined` keep the default.
 */
export function resolveParams<P extends object>(
  owner: string,
  defaults: P,
  options: Partial<P> | undefined,
): P {
  if (options === undefined) return { ...defaults };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${owner} options must be an object, got ${String(options)}`);
  }
  const resolved = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(defaults, key)) {
      throw new ValueError(
        `${owner}: unknown option '${key}'; expected one of ${Object.keys(defaults).join(', ')}`,
      );
    }
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

/** Bounds for {@link checkNumber}. */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** When true, `min` itself is not allowed. */
  exclusiveMin?: boolean;
}

/** Throws a {@link ValueError} unless `value` is a finite number within `rule`. */
export function checkNumber(
  owner: string,
  name: string,
  value: unknown,
  rule: NumberRule = {},
): number {
  const kind = rule.integer ? 'an integer' : 'a finite number';
  const low = rule.min === undefined ? '' : ` ${rule.exclusiveMin ? '>' : '>='} ${rule.min}`;
  const high = rule.max === undefined ? '' : `${low ? ' and' : ''} <= ${rule.max}`;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.exclusiveMin ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok)
    throw new ValueError(`${owner}: ${name} must be ${kind}${low}${high}, got ${String(value)}`);
  return value as number;
}

/** Throws a {@link ValueError} unless `value` is one of `choices`. */
export function checkChoice<T extends string>(
  owner: string,
  name: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(value as T)) {
    throw new ValueError(
      `${owner}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** Throws a {@link ValueError} unless `value` is `true` or `false`. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ValueError(`${owner}: ${name} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}
