import { DTypeError, ShapeError, Tensor, ValueError } from '@typedlearn/tensor';

/**
 * Validates a feature matrix at the API boundary: a 2-D float32 tensor of finite values,
 * with `expectedFeatures` columns when given. Returns a contiguous view (copying only when
 * the input is strided) so kernels can loop over `data` directly.
 */
export function checkFeatures(X: unknown, expectedFeatures?: number, name = 'X'): Tensor {
  if (!(X instanceof Tensor)) {
    throw new ShapeError(
      `${name} must be a 2-D float32 Tensor [samples, features], got ${describe(X)}`,
    );
  }
  if (X.dtype !== 'float32') {
    throw new DTypeError(
      `${name} must have dtype float32, got ${X.dtype} (scale pixels to floats first)`,
    );
  }
  const [rows, cols] = X.matrixShape(name);
  if (expectedFeatures !== undefined && cols !== expectedFeatures) {
    throw new ShapeError(
      `${name} has ${cols} features per sample, but the model was fitted on ${expectedFeatures}`,
    );
  }
  const x = (X as Tensor).contiguous();
  const data = x.data as Float32Array;
  const bad = firstNonFinite(data, x.offset, x.offset + rows * cols);
  if (bad >= 0) {
    const at = bad - x.offset;
    throw new ValueError(
      `${name} must hold finite numbers, but row ${Math.floor(at / cols)}, column ${at % cols} is ${data[bad]}`,
    );
  }
  return x;
}

/** Values per call of {@link timesZeroSum}. */
const CHECK_BLOCK = 1 << 16;

/**
 * Index of the first NaN or infinity in `data[start, end)`, or -1. x * 0 is 0 for every
 * finite x and NaN for NaN and the infinities, and a NaN survives any sum, so one
 * multiply-add per value answers whether there is one: about half the time of comparing each
 * value; only then are the values searched. The sums go by blocks of {@link CHECK_BLOCK}
 * values: a single call over a whole training set would run through V8's on-stack
 * replacement, about three times slower than a function optimised after its first calls.
 */
function firstNonFinite(data: Float32Array, start: number, end: number): number {
  let sum = 0;
  for (let from = start; from < end; from += CHECK_BLOCK) {
    sum += timesZeroSum(data, from, Math.min(end, from + CHECK_BLOCK));
  }
  if (sum === 0) return -1;
  for (let j = start; j < end; j++) if (!Number.isFinite(data[j])) return j;
  return -1;
}

/** The sum of x * 0 over `data[start, end)`: 0, or NaN if a value is not finite. */
function timesZeroSum(data: Float32Array, start: number, end: number): number {
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

/** Validates labels: `rows` integers. Returns them as an Int32Array (a copy when converted). */
export function checkLabels(y: unknown, rows: number, name = 'y'): Int32Array {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name} must be an array of integer labels, got ${describe(y)}`);
  }
  const labels = y as ArrayLike<number>;
  if (labels.length !== rows) {
    throw new ShapeError(
      `${name} has ${labels.length} labels but X has ${rows} rows; expected one label per row`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new ValueError(
        `${name} must hold 32-bit integer labels, but element ${i} is ${String(v)}`,
      );
    }
  }
  return labels instanceof Int32Array ? labels : Int32Array.from(labels);
}

/** Sorted distinct labels and each label's index into them (the model's internal classes). */
export function encodeLabels(y: Int32Array): { classes: Int32Array; encoded: Int32Array } {
  const classes = Int32Array.from(new Set(y)).sort();
  const indexOf = new Map<number, number>();
  classes.forEach((label, index) => indexOf.set(label, index));
  const encoded = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) encoded[i] = indexOf.get(y[i]) as number;
  return { classes, encoded };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
