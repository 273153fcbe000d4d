import { ValueError } from '@typedlearn/tensor';

/** Throws a {@link ValueError} unless `value` is one of `allowed`; returns it typed. */
export function checkChoice<T>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) {
    const choices = allowed.map((choice) => JSON.stringify(choice) ?? String(choice));
    throw new ValueError(
      `${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}

/**
 * The value a ratio takes when its denominator is zero, as scikit-learn's `zero_division`:
 * 0, 1, or NaN (NaN scores are then left out of averages).
 */
export type ZeroDivision = number;

/** Throws unless `value` is 0, 1 or NaN. */
export function checkZeroDivision(value: number): number {
  if (value !== 0 && value !== 1 && !Number.isNaN(value)) {
    throw new ValueError(`zeroDivision must be 0, 1 or NaN, got ${String(value)}`);
  }
  return value;
}
