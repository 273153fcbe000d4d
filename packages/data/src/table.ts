import { ValueError, type MatrixInput } from '@typedlearn/tensor';

/**
 * A table: a matrix whose columns have names, as `readCsv` in `@typedlearn/io` returns one. A
 * model or a Pipeline fitted on a table remembers the names and checks them when it predicts
 * on one (scikit-learn's `feature_names_in_`).
 */
export interface Table {
  X: MatrixInput;
  featureNames: readonly string[];
}

/** True for a {@link Table}: an object with `X` and `featureNames`, not a matrix. */
export function isTable(X: unknown): X is Table {
  return (
    typeof X === 'object' && X !== null && !Array.isArray(X) && 'featureNames' in X && 'X' in X
  );
}

/**
 * The names of a table with `columns` columns, copied; a {@link ValueError} unless they are
 * distinct strings, one per column. `name` names the table in the message.
 */
export function checkedFeatureNames(table: Table, columns: number, name = 'X'): string[] {
  const names = table.featureNames;
  const ok =
    Array.isArray(names) &&
    names.length === columns &&
    names.every((n) => typeof n === 'string') &&
    new Set(names).size === names.length;
  if (!ok) {
    throw new ValueError(
      `${name}.featureNames must be ${columns} distinct strings, one per column, got ${JSON.stringify(names)}`,
    );
  }
  return [...names];
}

/**
 * Throws a {@link ValueError} unless the columns of a table given to a model fitted on one are
 * the same names in the same order; nothing to check when either side has no names.
 */
export function checkFeatureNames(
  expected: readonly string[] | undefined,
  given: readonly string[] | undefined,
  name = 'X',
): void {
  if (expected === undefined || given === undefined) return;
  if (expected.length === given.length && expected.every((n, i) => n === given[i])) return;
  const missing = expected.filter((n) => !given.includes(n));
  const unexpected = given.filter((n) => !expected.includes(n));
  const problem =
    missing.length > 0 || unexpected.length > 0
      ? `missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(unexpected)}`
      : 'the same names in another order';
  throw new ValueError(
    `${name}'s columns are not the ones the model was fitted on (${problem}): expected ${JSON.stringify(expected)}`,
  );
}
