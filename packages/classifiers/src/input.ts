import {
  DTypeError,
  ShapeError,
  Tensor,
  ValueError,
  toFloat32Matrix,
  describeValue,
} from '@typedlearn/tensor';

/**
 * Validates a feature matrix at the API boundary: anything {@link MatrixInput} accepts (a
 * float32 Tensor, an array of rows, a flat float array with its shape), with finite values and
 * `expectedFeatures` columns when given. Returns it as a contiguous float32 Tensor, copying only
 * what is not one already, so kernels can loop over its data directly. A Tensor of another dtype
 * is refused rather than converted: raw pixels 0..255 are almost always a mistake.
 */
export function checkFeatures(X: unknown, expectedFeatures?: number, name = 'X'): Tensor {
  if (X instanceof Tensor && X.dtype !== 'float32') {
    throw new DTypeError(
      `${name} must have dtype float32, got ${X.dtype} (scale pixels to floats first)`,
    );
  }
  const x = toFloat32Matrix(X, name);
  const cols = x.shape[1];
  if (expectedFeatures !== undefined && cols !== expectedFeatures) {
    throw new ShapeError(
      `${name} has ${cols} features per sample, but the model was fitted on ${expectedFeatures}`,
    );
  }
  return x;
}

/** Validates labels: `rows` integers. Returns them as an Int32Array (a copy when converted). */
export function checkLabels(y: unknown, rows: number, name = 'y'): Int32Array {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name} must be an array of integer labels, got ${describeValue(y)}`);
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
