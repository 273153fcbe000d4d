/** One hyper-parameter of a classifier, as `typedlearn params` and the docs list it. */
export interface HyperParameter {
  name: string;
  /** The value the constructor uses when the option is not given. */
  default: unknown;
  /** What it does, in one line, with its allowed range. */
  description: string;
}

/**
 * A classifier's hyper-parameters from its defaults and a one-line description of each. The
 * descriptions must name exactly the options the defaults have, so a new option cannot be left
 * undocumented.
 */
export function describeHyperParameters<P extends object>(
  defaults: Readonly<P>,
  descriptions: { readonly [K in keyof P]: string },
): readonly HyperParameter[] {
  return Object.freeze(
    (Object.keys(defaults) as (keyof P & string)[]).map((name) =>
      Object.freeze({ name, default: defaults[name], description: descriptions[name] }),
    ),
  );
}
