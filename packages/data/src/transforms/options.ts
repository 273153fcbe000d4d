import { ValueError } from '@typedlearn/tensor';

/**
 * `defaults` overridden by `options`, refusing names that are not options of `owner`, so a
 * misspelt option fails loudly instead of being ignored.
 */
export function resolveOptions<Params extends object>(
  owner: string,
  defaults: Params,
  options: Partial<Params> | undefined,
): Params {
  const known = Object.keys(defaults);
  for (const key of Object.keys(options ?? {})) {
    if (!known.includes(key)) {
      throw new ValueError(`${owner} has no option '${key}': expected one of ${known.join(', ')}`);
    }
  }
  const resolved = { ...defaults };
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}
