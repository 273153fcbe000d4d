import type { DType } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Sums, means and variances of a tensor of any dtype, over all elements or along one axis.
 * Accumulation is in float64; results are float32 tensors.
 */

/**
 * The sum of all elements (a scalar tensor of shape []) or, with `axis`, along that axis
 * (the axis is removed from the shape; negative axes count from the end).
 */
export function sum(t: Tensor<DType>, axis?: number): Tensor {
  const { outer, length, inner, shape } = reductionLayout('sum', t, axis);
  const data = t.contiguous();
  const totals = new Float64Array(outer * inner);
  accumulate(data, outer, length, inner, totals);
  return toTensor(totals, shape);
}

/** The mean of all elements or along `axis` (see {@link sum}); the mean of nothing is NaN. */
export function mean(t: Tensor<DType>, axis?: number): Tensor {
  const { outer, length, inner, shape } = reductionLayout('mean', t, axis);
  const totals = new Float64Array(outer * inner);
  accumulate(t.contiguous(), outer, length, inner, totals);
  for (let i = 0; i < totals.length; i++) totals[i] /= length;
  return toTensor(totals, shape);
}

/**
 * The variance of all elements or along `axis`: sum((x - mean)^2) / (count - ddof), with
 * `ddof` 0 by default (the population variance; 1 gives the unbiased sample variance).
 * Two passes (the mean first, then squared deviations) avoid the cancellation of
 * E[x^2] - E[x]^2. NaN when count <= ddof.
 */
export function variance(t: Tensor<DType>, axis?: number, ddof = 0): Tensor {
  if (!Number.isInteger(ddof) || ddof < 0) {
    throw new ValueError(`variance: ddof must be a non-negative integer, got ${ddof}`);
  }
  const { outer, length, inner, shape } = reductionLayout('variance', t, axis);
  const source = t.contiguous();
  const means = new Float64Array(outer * inner);
  accumulate(source, outer, length, inner, means);
  for (let i = 0; i < means.length; i++) means[i] /= length;
  const squares = new Float64Array(outer * inner);
  const x = source.data;
  const base = source.offset;
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < length; l++) {
      const row = base + (o * length + l) * inner;
      const target = o * inner;
      for (let i = 0; i < inner; i++) {
        const deviation = x[row + i] - means[target + i];
        squares[target + i] += deviation * deviation;
      }
    }
  }
  const divisor = length - ddof;
  for (let i = 0; i < squares.length; i++) squares[i] = divisor > 0 ? squares[i] / divisor : NaN;
  return toTensor(squares, shape);
}

interface ReductionLayout {
  /** Product of the dimensions before the axis. */
  outer: number;
  /** Length of the reduced axis. */
  length: number;
  /** Product of the dimensions after the axis. */
  inner: number;
  /** Shape of the result. */
  shape: number[];
}

/**
 * A contiguous tensor reduced along one axis is a [outer, length, inner] block; reducing
 * everything is the case outer = inner = 1.
 */
function reductionLayout(fn: string, t: Tensor<DType>, axis: number | undefined): ReductionLayout {
  if (axis === undefined) return { outer: 1, length: t.size, inner: 1, shape: [] };
  const rank = t.rank;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(
      `${fn}: axis ${axis} is out of range for shape [${t.shape.join(', ')}]: expected ${-rank} <= axis < ${rank}`,
    );
  }
  const a = axis < 0 ? axis + rank : axis;
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < a; d++) outer *= t.shape[d];
  for (let d = a + 1; d < rank; d++) inner *= t.shape[d];
  const shape = t.shape.filter((_, d) => d !== a);
  return { outer, length: t.shape[a], inner, shape };
}

/** totals[o, i] += sum over l of x[o, l, i], walking the contiguous data in memory order. */
function accumulate(
  source: Tensor<DType>,
  outer: number,
  length: number,
  inner: number,
  totals: Float64Array,
): void {
  const x = source.data;
  const base = source.offset;
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < length; l++) {
      const row = base + (o * length + l) * inner;
      const target = o * inner;
      for (let i = 0; i < inner; i++) totals[target + i] += x[row + i];
    }
  }
}

function toTensor(values: Float64Array, shape: number[]): Tensor {
  return new Tensor(Float32Array.from(values), shape);
}
