import { Tensor, ValueError } from '@typedlearn/tensor';

/**
 * One row per label with a 1 in column `label` and 0 elsewhere: float32 [n, nClasses].
 * `nClasses` defaults to the largest label + 1. Labels must be integers in [0, nClasses).
 */
export function oneHot(labels: ArrayLike<number>, nClasses?: number): Tensor {
  let largest = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new ValueError(`oneHot label ${i} is ${label}: expected an integer >= 0`);
    }
    if (label > largest) largest = label;
  }
  const classes = nClasses ?? largest + 1;
  if (!Number.isInteger(classes) || classes < 1) {
    throw new ValueError(`oneHot nClasses must be a positive integer, got ${classes}`);
  }
  if (largest >= classes) {
    throw new ValueError(
      `oneHot label ${largest} is out of range: expected labels in [0, ${classes})`,
    );
  }
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]] = 1;
  return new Tensor(out, [labels.length, classes]);
}
