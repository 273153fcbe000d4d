import { ShapeError, ValueError } from '@typedlearn/tensor';

/**
 * The display names of `count` classes: `labels` as text, or 0, 1, 2, ... when not given.
 * Throws when the count is wrong or a name repeats (a chart axis needs distinct categories).
 */
export function classNames(
  labels: readonly (string | number)[] | undefined,
  count: number,
  what: string,
): string[] {
  const names = (labels ?? Array.from({ length: count }, (_, i) => i)).map(String);
  if (names.length !== count) {
    throw new ShapeError(
      `labels has ${names.length} names for ${count} ${what}: expected ${count}`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new ValueError(`labels [${names.join(', ')}] must be distinct to label a chart axis`);
  }
  return names;
}
