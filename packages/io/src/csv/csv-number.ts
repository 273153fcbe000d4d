/** A decimal number: optional sign, digits with an optional point, optional exponent. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The spellings of NaN and the infinities that spreadsheets and NumPy write. */
const NOT_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * The number a CSV cell holds, by a strict rule: `Number` of the trimmed text when that text
 * is a decimal number (`'1e3'`, `'-0.5'`, `' 2 '`, `'.5'`), and NaN otherwise: for an empty
 * cell, text, NaN and Infinity, and also for `Number`'s other forms (`'0x10'`, `'0b1'`), which
 * a CSV file does not mean. A decimal beyond float64's range is Infinity.
 */
export function cellNumber(text: string): number {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
}

/**
 * Why a cell refused by {@link cellNumber} (or out of `float32`'s range, when `float32` is
 * true) is not a usable number: what was found and what was expected.
 */
export function notANumber(text: string, float32: boolean): string {
  const trimmed = text.trim();
  if (trimmed === '') {
    return 'the cell is empty: expected a number (missing values are not supported: fill or drop them first)';
  }
  if (NOT_FINITE.test(trimmed)) {
    return `${quoteCell(text)} is not a finite number: expected a finite decimal number`;
  }
  if (DECIMAL.test(trimmed)) {
    return float32
      ? `${quoteCell(text)} is too large for float32: expected a magnitude of at most 3.4028235e38`
      : `${quoteCell(text)} is too large: expected a magnitude of at most 1.7976931348623157e308`;
  }
  return `${quoteCell(text)} is not a number: expected a decimal number such as 5.1, -0.5 or 1e3`;
}

const LONGEST_QUOTED = 40;

/** A cell's text in double quotes for a message, cut short if long. */
export function quoteCell(text: string): string {
  return JSON.stringify(
    text.length > LONGEST_QUOTED ? `${text.slice(0, LONGEST_QUOTED)}...` : text,
  );
}
