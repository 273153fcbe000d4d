import type { Floats } from './precision.js';

/**
 * The bias half of an affine layer Z = A W + b on `rows` rows of `units` outputs: the forward
 * pass starts each row of Z at b (the product is then added onto it), and the backward pass
 * needs d loss / d b = the column sums of delta.
 */

/** Every one of the first `rows` rows of `out` set to `bias`. */
export function fillRowsWithBias(out: Floats, rows: number, units: number, bias: Floats): void {
  for (let r = 0; r < rows; r++) {
    const start = r * units;
    for (let u = 0; u < units; u++) out[start + u] = bias[u];
  }
}

/** db[u] = sum over the first `rows` rows of delta[r, u]. */
export function columnSums(delta: Floats, rows: number, units: number, db: Floats): void {
  db.fill(0, 0, units);
  for (let r = 0; r < rows; r++) {
    const start = r * units;
    for (let u = 0; u < units; u++) db[u] += delta[start + u];
  }
}
