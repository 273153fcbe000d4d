import type { Rng } from '@typedlearn/tensor';

/**
 * A bootstrap sample (Efron 1979; Breiman 2001): `n` draws with replacement from `n`
 * samples, as the number of times each sample was drawn. About 1 - 1/e = 63.2% of the
 * samples are drawn at least once; the others are the tree's out-of-bag samples.
 */
export function bootstrapCounts(rng: Rng, n: number): Int32Array {
  const counts = new Int32Array(n);
  for (let draw = 0; draw < n; draw++) counts[rng.int(n)]++;
  return counts;
}
