import { ValueError } from '@typedlearn/tensor';

/** For each hyper-parameter, the values to try. */
export type ParamGrid<P> = { readonly [K in keyof P]: readonly P[K][] };

/**
 * Every combination of a grid's values, in scikit-learn's `ParameterGrid` order: parameter
 * names sorted, the last name varying fastest. A list of grids yields each grid's combinations
 * in turn (for parameters that only make sense together).
 */
export function expandGrid<P extends object>(grid: ParamGrid<P> | readonly ParamGrid<P>[]): P[] {
  const grids: readonly ParamGrid<P>[] = Array.isArray(grid) ? grid : [grid as ParamGrid<P>];
  if (grids.length === 0) {
    throw new ValueError('the parameter grid is an empty list: expected at least one grid');
  }
  const candidates: P[] = [];
  for (const entry of grids) {
    if (entry === null || typeof entry !== 'object') {
      throw new ValueError(
        `a parameter grid must be an object of value lists, got ${String(entry)}`,
      );
    }
    const single = entry as Record<string, readonly unknown[]>;
    const names = Object.keys(single).sort();
    for (const name of names) {
      const values: unknown = single[name];
      if (!Array.isArray(values) || values.length === 0) {
        throw new ValueError(
          `parameter grid entry '${name}' must be a non-empty array of values, got ${JSON.stringify(values)}`,
        );
      }
    }
    // Odometer over the value lists: advance the last name first, carry leftwards.
    const position = new Array<number>(names.length).fill(0);
    for (;;) {
      const candidate: Record<string, unknown> = {};
      names.forEach((name, n) => (candidate[name] = single[name][position[n]]));
      candidates.push(candidate as P);
      let n = names.length - 1;
      while (n >= 0 && ++position[n] === single[names[n]].length) position[n--] = 0;
      if (n < 0) break;
    }
  }
  return candidates;
}
