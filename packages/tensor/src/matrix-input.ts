import type { DType } from './dtype.js';
import { DTypeError, ShapeError, ValueError, describeValue } from './errors.js';
import { assertFiniteMatrix } from './finite.js';
import { Tensor } from './tensor.js';

/**
 * What a function taking a samples-by-features matrix accepts: a {@link Tensor} [rows, cols];
 * an array of rows, each a `number[]` or a typed array; or a flat `Float32Array` /
 * `Float64Array` in row-major order with its shape.
 */
export type MatrixInput =
  | Tensor<DType>
  | readonly ArrayLike<number>[]
  | { readonly data: Float32Array | Float64Array; readonly shape: readonly [number, number] };

/**
 * `X` as a contiguous float32 matrix [rows, cols] of finite values, converted once at the API
 * boundary: float32 data that is already contiguous is used as it is, anything else is copied
 * into float32 once. Errors say what was wrong and what was expected, naming the row and
 * column of a bad value or a ragged row; a 1-D array, where rows are expected, is refused
 * with how to pass one row (as scikit-learn does).
 */
export function toFloat32Matrix(X: unknown, name = 'X'): Tensor<'float32'> {
  const matrix = asMatrix(X, name);
  assertFiniteMatrix(matrix.contiguousData(), matrix.shape[1], name);
  return matrix;
}

function asMatrix(X: unknown, name: string): Tensor<'float32'> {
  if (X instanceof Tensor) {
    const [rows, cols] = X.matrixShape(name);
    if (X.dtype === 'float32' && X.isContiguous) return X as Tensor<'float32'>;
    const data = X.contiguousData();
    const floats = data instanceof Float32Array ? data : Float32Array.from(data);
    return new Tensor(floats, [rows, cols]);
  }
  if (Array.isArray(X)) return fromRows(X, name);
  if (isFlatWithShape(X)) return fromFlat(X, name);
  if (ArrayBuffer.isView(X)) {
    throw new ShapeError(
      `${name} must be 2-D [samples, features], got a flat ${X.constructor.name} of ` +
        `${(X as unknown as ArrayLike<number>).length} numbers: pass { data, shape: [rows, cols] }` +
        ' to say how it divides into rows, or an array of rows',
    );
  }
  throw new ShapeError(
    `${name} must be a Tensor [samples, features], an array of rows (number[][] or typed ` +
      `arrays) or { data, shape }, got ${describeValue(X)}`,
  );
}

/** An array of rows: every row an array-like of numbers of one length. */
function fromRows(X: readonly unknown[], name: string): Tensor<'float32'> {
  const rows = X.length;
  if (rows > 0 && !isRow(X[0])) {
    const oneRow = X.length <= 4 ? `[[${X.map(String).join(', ')}]]` : '[[x0, x1, ...]]';
    throw new ShapeError(
      `${name} must be 2-D [samples, features], but its elements are not rows (element 0 is ` +
        `${describeValue(X[0])}). If this is one sample, pass it as a list of one row: ${oneRow}`,
    );
  }
  const cols = rows === 0 ? 0 : (X[0] as ArrayLike<number>).length;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = X[i];
    if (!isRow(row)) {
      throw new ShapeError(
        `${name} row ${i} is ${describeValue(row)}, expected an array of numbers`,
      );
    }
    if (row.length !== cols) {
      throw new ShapeError(
        `${name} is ragged: row ${i} has ${row.length} values, but row 0 has ${cols}; ` +
          'expected the same number of features in every row',
      );
    }
    for (let j = 0; j < cols; j++) {
      const value = row[j];
      if (typeof value !== 'number') {
        throw new ValueError(
          `${name} must hold numbers, but row ${i}, column ${j} is ${JSON.stringify(value)}`,
        );
      }
      out[i * cols + j] = value;
    }
  }
  return new Tensor(out, [rows, cols]);
}

function fromFlat(
  X: { data: Float32Array | Float64Array; shape: readonly unknown[] },
  name: string,
): Tensor<'float32'> {
  const { data, shape } = X;
  const [rows, cols] = shape;
  const ok =
    shape.length === 2 &&
    Number.isInteger(rows) &&
    Number.isInteger(cols) &&
    (rows as number) >= 0 &&
    (cols as number) >= 0;
  if (!ok) {
    throw new ShapeError(
      `${name}.shape must be [rows, cols] of integers, got ${JSON.stringify(shape)}`,
    );
  }
  if ((rows as number) * (cols as number) !== data.length) {
    throw new ShapeError(
      `${name}.data has ${data.length} numbers, but shape [${rows}, ${cols}] needs ${(rows as number) * (cols as number)}`,
    );
  }
  const floats = data instanceof Float32Array ? data : Float32Array.from(data);
  return new Tensor(floats, [rows as number, cols as number]);
}

function isRow(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

function isFlatWithShape(
  value: unknown,
): value is { data: Float32Array | Float64Array; shape: readonly unknown[] } {
  if (value === null || typeof value !== 'object') return false;
  const { data, shape } = value as { data?: unknown; shape?: unknown };
  if (!Array.isArray(shape)) return false;
  if (data instanceof Float32Array || data instanceof Float64Array) return true;
  throw new DTypeError(`X.data must be a Float32Array or Float64Array, got ${describeValue(data)}`);
}
