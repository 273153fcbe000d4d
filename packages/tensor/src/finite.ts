import { ValueError } from './errors.js';

/** Values per call of {@link timesZeroSum}. */
const CHECK_BLOCK = 1 << 16;

/**
 * Index of the first NaN or infinity in `data[start, end)`, or -1. x * 0 is 0 for every
 * finite x and NaN for NaN and the infinities, and a NaN survives any sum, so one
 * multiply-add per value answers whether there is one: about half the time of comparing each
 * value; only then are the values searched. The sums go by blocks of {@link CHECK_BLOCK}
 * values: a single call over a whole training set would run through V8's on-stack
 * replacement, which is slower than a function optimised after its first calls.
 */
export function firstNonFinite(data: ArrayLike<number>, start = 0, end = data.length): number {
  let sum = 0;
  for (let from = start; from < end; from += CHECK_BLOCK) {
    sum += timesZeroSum(data, from, Math.min(end, from + CHECK_BLOCK));
  }
  if (sum === 0) return -1;
  for (let j = start; j < end; j++) if (!Number.isFinite(data[j])) return j;
  return -1;
}

/** The sum of x * 0 over `data[start, end)`: 0, or NaN if a value is not finite. */
function timesZeroSum(data: ArrayLike<number>, start: number, end: number): number {
  // Four independent sums, so the additions do not wait for one another.
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    a += data[i] * 0;
    b += data[i + 1] * 0;
    c += data[i + 2] * 0;
    d += data[i + 3] * 0;
  }
  for (; i < end; i++) a += data[i] * 0;
  return a + b + c + d;
}

/** Throws a {@link ValueError} naming the first element of `data` that is NaN or infinite. */
export function assertFinite(data: ArrayLike<number>, name: string): void {
  const bad = firstNonFinite(data);
  if (bad >= 0) {
    throw new ValueError(`${name} must hold finite numbers, but element ${bad} is ${data[bad]}`);
  }
}

/**
 * Throws a {@link ValueError} naming the row and column of the first NaN or infinity of the
 * row-major `rows` x `cols` matrix `data`.
 */
export function assertFiniteMatrix(data: ArrayLike<number>, cols: number, name: string): void {
  const bad = firstNonFinite(data);
  if (bad >= 0) {
    throw new ValueError(
      `${name} must hold finite numbers, but row ${Math.floor(bad / cols)}, column ${bad % cols} is ${data[bad]}`,
    );
  }
}
