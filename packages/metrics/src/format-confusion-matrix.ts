import { ShapeError, ValueError } from '@typedlearn/tensor';
import { formatFixed } from './format-fixed.js';

/** Options of {@link formatConfusionMatrix}. */
export interface FormatConfusionMatrixOptions {
  /** Name of each class, in row order. Default: 0, 1, 2, ... */
  labels?: readonly (string | number)[];
  /** Decimals for a normalised matrix (one that holds fractions). Default 2; counts print as integers. */
  digits?: number;
}

/**
 * A confusion matrix as aligned text for a terminal: true classes down the side, predicted
 * classes across the top, every column right-aligned to the widest entry.
 *
 * ```text
 * true\pred   0   1   2
 *         0  18   0   2
 *         1   0  12   3
 *         2   4   2   9
 * ```
 */
export function formatConfusionMatrix(
  matrix: readonly (readonly number[])[],
  options: FormatConfusionMatrixOptions = {},
): string {
  const k = matrix.length;
  if (k === 0 || matrix.some((row) => row.length !== k)) {
    throw new ShapeError(
      `a confusion matrix must be square and non-empty, got rows of lengths [${matrix.map((row) => row.length).join(', ')}]`,
    );
  }
  const names = (options.labels ?? matrix.map((_, i) => i)).map(String);
  if (names.length !== k) {
    throw new ShapeError(`labels has ${names.length} names for a ${k}x${k} matrix: expected ${k}`);
  }
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new ValueError(`digits must be an integer in [0, 20], got ${String(digits)}`);
  }
  const counts = matrix.every((row) => row.every((value) => Number.isInteger(value)));
  const cells = matrix.map((row) =>
    row.map((value) => (counts ? String(value) : formatFixed(value, digits))),
  );

  const corner = 'true\\pred';
  const sideWidth = Math.max(corner.length, ...names.map((name) => name.length));
  const cellWidth = Math.max(
    ...names.map((name) => name.length),
    ...cells.flat().map((cell) => cell.length),
  );
  const line = (side: string, entries: readonly string[]): string =>
    [side.padStart(sideWidth), ...entries.map((entry) => entry.padStart(cellWidth))].join('  ');
  return [line(corner, names), ...cells.map((row, i) => line(names[i], row))].join('\n') + '\n';
}
