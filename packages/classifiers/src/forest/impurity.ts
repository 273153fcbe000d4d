/**
 * How a node's class mix is scored (Breiman et al., "Classification and Regression Trees",
 * 1984, ch. 4): `'gini'`, the Gini index 1 - sum_k p_k^2, or `'entropy'`, the Shannon entropy
 * -sum_k p_k log2 p_k, where p_k is the weighted share of class k among the node's samples.
 */
export type Criterion = 'gini' | 'entropy';

/**
 * Impurity of the class totals `totals[offset .. offset + nClasses)` whose sum is `weight`
 * (> 0), by `criterion`.
 */
export function nodeImpurity(
  criterion: Criterion,
  totals: Float64Array,
  offset: number,
  nClasses: number,
  weight: number,
): number {
  let impurity = criterion === 'gini' ? 1 : 0;
  for (let k = 0; k < nClasses; k++) {
    const p = totals[offset + k] / weight;
    if (criterion === 'gini') impurity -= p * p;
    else if (p > 0) impurity -= p * Math.log2(p);
  }
  return impurity;
}

/**
 * A score that orders candidate splits as the weighted impurity of the two children does,
 * largest best, but cheaper to evaluate (scikit-learn's "proxy impurity improvement").
 * With left totals l_k (sum w_L) and right totals r_k = t_k - l_k (sum w_R):
 *
 * - Gini: w_L G_L + w_R G_R = W - (sum l_k^2 / w_L + sum r_k^2 / w_R), so the score is the
 *   bracket.
 * - Entropy: w_L H_L + w_R H_R = -(sum l_k ln l_k - w_L ln w_L + sum r_k ln r_k - w_R ln w_R)
 *   up to the factor 1/ln 2, so the score is the bracket.
 */
export function splitScore(
  criterion: Criterion,
  left: Float64Array,
  node: Float64Array,
  nClasses: number,
  leftWeight: number,
  nodeWeight: number,
): number {
  const rightWeight = nodeWeight - leftWeight;
  if (criterion === 'gini') {
    let leftSquares = 0;
    let rightSquares = 0;
    for (let k = 0; k < nClasses; k++) {
      const l = left[k];
      const r = node[k] - l;
      leftSquares += l * l;
      rightSquares += r * r;
    }
    return leftSquares / leftWeight + rightSquares / rightWeight;
  }
  let score = -xLogX(leftWeight) - xLogX(rightWeight);
  for (let k = 0; k < nClasses; k++) score += xLogX(left[k]) + xLogX(node[k] - left[k]);
  return score;
}

/** x ln x, with the limit 0 at x = 0 (and at the round-off residues just around it). */
function xLogX(x: number): number {
  return x > 1e-12 ? x * Math.log(x) : 0;
}
