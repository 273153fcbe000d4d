import type { Tensor } from '@typedlearn/tensor';

/** The kernels {@link SVC} supports, with scikit-learn's names. */
export type KernelName = 'rbf' | 'poly' | 'linear';

/**
 * A kernel with its numeric parameters resolved (`gamma: 'scale'` already turned into a number):
 * - `rbf`:    K(x, z) = exp(-gamma |x - z|^2)
 * - `poly`:   K(x, z) = (gamma x.z + coef0)^degree
 * - `linear`: K(x, z) = x.z
 */
export interface Kernel {
  readonly name: KernelName;
  readonly gamma: number;
  readonly degree: number;
  readonly coef0: number;
}

/**
 * scikit-learn's `gamma='scale'`: 1 / (nFeatures * Var(X)), the variance taken over every
 * element of X (1 when X is constant), so the RBF exponent is about 1 for a typical pair of rows.
 *
 * With `sampleWeight` (one weight per row) the variance is weighted, each row's elements
 * counting w_i times, so that a row of weight 2 counts as two copies and one of weight 0 as
 * absent (scikit-learn takes the unweighted variance of every row, weight 0 included).
 */
export function scaleGamma(X: Tensor, sampleWeight: Float64Array | null = null): number {
  if (sampleWeight !== null) return weightedScaleGamma(X, sampleWeight);
  const [rows, cols] = X.matrixShape('X');
  const { data, offset } = X;
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[offset + i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = data[offset + i] - mean;
    squares += d * d;
  }
  const variance = squares / n;
  return variance === 0 ? 1 : 1 / (cols * variance);
}

/** {@link scaleGamma} with the elements of row i counted `sampleWeight[i]` times. */
function weightedScaleGamma(X: Tensor, sampleWeight: Float64Array): number {
  const [rows, cols] = X.matrixShape('X');
  const { data, offset } = X;
  let total = 0;
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    let rowSum = 0;
    for (let j = 0; j < cols; j++) rowSum += data[offset + i * cols + j];
    total += sampleWeight[i];
    sum += sampleWeight[i] * rowSum;
  }
  const mean = sum / (total * cols);
  let squares = 0;
  for (let i = 0; i < rows; i++) {
    let rowSquares = 0;
    for (let j = 0; j < cols; j++) {
      const d = data[offset + i * cols + j] - mean;
      rowSquares += d * d;
    }
    squares += sampleWeight[i] * rowSquares;
  }
  const variance = squares / (total * cols);
  return variance === 0 ? 1 : 1 / (cols * variance);
}

/**
 * K(x, z) from the dot product x.z and the squared norms |x|^2, |z|^2. The RBF kernel uses
 * |x - z|^2 = |x|^2 + |z|^2 - 2 x.z, clamped at 0 against rounding.
 */
export function kernelFromDot(
  kernel: Kernel,
  dot: number,
  squaredNormX: number,
  squaredNormZ: number,
): number {
  switch (kernel.name) {
    case 'rbf':
      return Math.exp(-kernel.gamma * Math.max(0, squaredNormX + squaredNormZ - 2 * dot));
    case 'poly':
      return integerPower(kernel.gamma * dot + kernel.coef0, kernel.degree);
    case 'linear':
      return dot;
  }
}

/**
 * Turns `dots[from..to)` (dot products of one query row, with squared norm `queryNorm`, against
 * the rows `targets[from..to)`) into kernel values in place. One loop per kernel, so the loop
 * body stays branch-free.
 */
export function dotsToKernel(
  kernel: Kernel,
  dots: Float64Array,
  from: number,
  to: number,
  queryNorm: number,
  targetNorms: Float64Array,
  targets: Int32Array,
): void {
  const { gamma, coef0, degree } = kernel;
  switch (kernel.name) {
    case 'rbf':
      for (let t = from; t < to; t++) {
        const distance = queryNorm + targetNorms[targets[t]] - 2 * dots[t];
        dots[t] = Math.exp(-gamma * (distance > 0 ? distance : 0));
      }
      return;
    case 'poly':
      for (let t = from; t < to; t++) dots[t] = integerPower(gamma * dots[t] + coef0, degree);
      return;
    case 'linear':
      return;
  }
}

/** base^exponent for a non-negative integer exponent, by repeated squaring (exact for small powers). */
export function integerPower(base: number, exponent: number): number {
  let result = 1;
  let power = base;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result *= power;
    power *= power;
  }
  return result;
}
