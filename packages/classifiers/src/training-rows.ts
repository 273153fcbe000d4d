import { ValueError, type Rng } from '@typedlearn/tensor';
import type { FitWeights } from './class-weight.js';

/**
 * A random `fraction` of the rows held out for validation, the rest to train on, each in
 * increasing order: how the MLP and the convnet hold out their validation rows.
 */
export function splitRows(
  rows: number,
  fraction: number,
  rng: Rng,
): { trainRows: Int32Array; validationRows: Int32Array } {
  const order = rng.permutation(rows);
  const held = Math.min(rows - 1, Math.round(fraction * rows));
  return {
    validationRows: order.slice(0, held).sort(),
    trainRows: order.slice(held).sort(),
  };
}

/**
 * The denominators of an epoch's figures: the total loss weight of the training rows, and the
 * total sample weight of the training and of the held-out rows (row counts without weights).
 * Throws a `ValueError` when either set of rows weighs 0: nothing to learn, or to measure.
 */
export function weightTotals(
  owner: string,
  weights: FitWeights,
  trainRows: Int32Array,
  validationRows: Int32Array,
): { loss: number; train: number; validation: number } {
  const totals = {
    loss: totalWeight(weights.combined, trainRows),
    train: totalWeight(weights.sample, trainRows),
    validation: totalWeight(weights.sample, validationRows),
  };
  if (!(totals.train > 0) || (validationRows.length > 0 && !(totals.validation > 0))) {
    const which = totals.train > 0 ? 'held-out (validationFraction)' : 'training';
    throw new ValueError(
      `${owner}.fit: the ${which} rows all have sampleWeight 0; expected some weight there ` +
        '(change the seed or validationFraction, or the weights)',
    );
  }
  return totals;
}

/** The sum of `values` over `rows`, or the number of rows when `values` is null. */
function totalWeight(values: Float64Array | null, rows: Int32Array): number {
  if (values === null) return rows.length;
  let total = 0;
  for (let r = 0; r < rows.length; r++) total += values[rows[r]];
  return total;
}
