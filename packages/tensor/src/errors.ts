/**
 * Every error typedlearn throws on bad input is a {@link TypedlearnError}: its message says
 * what was wrong and what was expected. Subclasses name the kind of mistake so callers can
 * branch on `instanceof`.
 */
export class TypedlearnError extends Error {
  override name = 'TypedlearnError';
}

/** A tensor or array had the wrong rank, shape or length. */
export class ShapeError extends TypedlearnError {
  override name = 'ShapeError';
}

/** A tensor had an element type the operation does not accept. */
export class DTypeError extends TypedlearnError {
  override name = 'DTypeError';
}

/** A value was out of its allowed range: NaN, a negative count, an unknown option, ... */
export class ValueError extends TypedlearnError {
  override name = 'ValueError';
}

/** A file or byte buffer was truncated, corrupt or in a format that is not understood. */
export class FormatError extends TypedlearnError {
  override name = 'FormatError';
}

/** A model, transform or pipeline was used (predict, transform, save, ...) before `fit`. */
export class NotFittedError extends TypedlearnError {
  override name = 'NotFittedError';
}

/** A short description of a value for error messages: its class name, `null` or its type. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
