import type { ModelListing } from '../../src/serve/served-models.js';

/**
 * Offers the served models in `select` when there are two or more (with one, `box`, which
 * holds the select and its label, stays hidden): one option per model, named and typed, the
 * current one selected; choosing one calls `onSwitch` with its name.
 */
export function offerModels(
  box: HTMLElement,
  select: HTMLSelectElement,
  entries: readonly ModelListing[],
  current: ModelListing,
  onSwitch: (name: string) => void,
): void {
  if (entries.length < 2) return;
  for (const entry of entries) {
    select.append(
      new Option(`${entry.name} (${entry.type})`, entry.name, false, entry === current),
    );
  }
  select.addEventListener('change', () => onSwitch(select.value));
  box.hidden = false;
}
