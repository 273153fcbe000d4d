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
  const data = x.data;
  const end = x.offset + rows * cols;
  for (let i = x.offset; i < end; i++) {
    const v = data[i];
    if (v !== v || v === Infinity || v === -Infinity) {
      const at = i - x.offset;
      throw new ValueError(
        `${name} must hold finite numbers, but row ${Math.floor(at / cols)}, column ${at % cols} is ${v}`,
      );
    }
  }
  return x;
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
