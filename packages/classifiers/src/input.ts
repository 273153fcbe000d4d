import { checkedFeatureNames, isTable, type Table } from '@typedlearn/data';
import { sortedClasses, type Label } from '@typedlearn/metrics';
import {
  DTypeError,
  ShapeError,
  Tensor,
  ValueError,
  toFloat32Matrix,
  describeValue,
  type MatrixInput,
} from '@typedlearn/tensor';

// The table concept lives in @typedlearn/data, beside the Pipeline that also takes tables.
export { checkFeatureNames, type Table } from '@typedlearn/data';

/** What a classifier takes as its samples: a matrix ({@link MatrixInput}) or a {@link Table}. */
export type FeaturesInput = MatrixInput | Table;

/**
 * The matrix and the column names of `X`: a {@link Table}'s, or none for a plain matrix. The
 * names must be distinct strings, one per column.
 */
export function tableParts(
  X: FeaturesInput,
  name = 'X',
): { matrix: Tensor; featureNames: string[] | undefined } {
  if (!isTable(X)) return { matrix: checkFeatures(X, undefined, name), featureNames: undefined };
  const matrix = checkFeatures(X.X, undefined, name);
  return { matrix, featureNames: checkedFeatureNames(X, matrix.shape[1], name) };
}

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
  if (expectedFeatures !== undefined) checkFeatureCount(x, expectedFeatures, name);
  return x;
}

/** Throws a ShapeError unless the validated matrix `x` has `expected` columns (the model's). */
export function checkFeatureCount(x: Tensor, expected: number, name = 'X'): void {
  const cols = x.shape[1];
  if (cols !== expected) {
    throw new ShapeError(
      `${name} has ${cols} features per sample, but the model was fitted on ${expected}`,
    );
  }
}

/**
 * Class labels as a classifier keeps and returns them: at run time an Int32Array when they are
 * integers (the usual case), otherwise an array of strings or of booleans.
 */
export type Labels = ArrayLike<Label> & Iterable<Label>;

/**
 * Validates the labels of a fit: `rows` labels of one type, integers, strings or booleans (a
 * fractional number is a continuous target, which a classifier cannot learn). Returns the
 * classes, sorted as scikit-learn sorts them, and each label's index into them.
 */
export function encodeLabels(
  y: unknown,
  rows: number,
  name = 'y',
): { classes: Labels; encoded: Int32Array } {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<Label>).length !== 'number') {
    throw new ShapeError(`${name} must be an array of class labels, got ${describeValue(y)}`);
  }
  const labels = y as ArrayLike<Label>;
  if (labels.length !== rows) {
    throw new ShapeError(
      `${name} has ${labels.length} labels but X has ${rows} rows; expected one label per row`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v === 'number' && (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)) {
      throw new ValueError(
        `${name} must hold class labels (32-bit integers, strings or booleans), but element ${i} is ${v}` +
          (Number.isInteger(v) ? '' : ': a fractional number is a continuous target, not a class'),
      );
    }
  }
  const classes = sortedClasses(labels, name);
  const indexOf = new Map<Label, number>(classes.map((label, index) => [label, index]));
  const encoded = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) encoded[i] = indexOf.get(labels[i]) as number;
  return { classes: asLabels(classes), encoded };
}

/** Labels of one type in the form {@link Labels} keeps them (integers as an Int32Array). */
export function asLabels(labels: readonly Label[]): Labels {
  return typeof labels[0] === 'number'
    ? Int32Array.from(labels as number[])
    : ([...labels] as string[] | boolean[]);
}

/**
 * `labels` as the Int32Array they are when a model was fitted on integer classes (MNIST's
 * digits, say), for code that works with integer classes only; labels of another type are a
 * ValueError saying what `what` holds.
 */
export function integerLabels(labels: Labels, what = 'the labels'): Int32Array {
  if (labels instanceof Int32Array) return labels;
  const first = labels[0];
  throw new ValueError(
    `${what} are ${typeof first} labels (${JSON.stringify(first)}, ...): expected integer classes`,
  );
}
