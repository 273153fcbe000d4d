import { DTypeError, ShapeError, Tensor, ValueError, assertFinite } from '@typedlearn/tensor';

/**
 * Scores or probabilities, one row per sample and one column per class (column j belongs to
 * class j): a 2-D float32 {@link Tensor}, a flat row-major `Float32Array`/`Float64Array` of
 * samples x classes (the class count is its length divided by the number of samples), or
 * nested arrays of rows.
 */
export type ScoreMatrix = Tensor | Float32Array | Float64Array | readonly (readonly number[])[];

/** A {@link ScoreMatrix} read into contiguous row-major storage. */
export interface ScoreRows {
  readonly data: Float32Array | Float64Array;
  readonly rows: number;
  readonly columns: number;
  /** Machine epsilon of the element type: 2^-23 for float32, 2^-52 for float64. */
  readonly epsilon: number;
}

const FLOAT32_EPSILON = 2 ** -23;

/**
 * Reads `scores` as a matrix with one row per sample, checking the shape and that every entry
 * is finite. Needs at least two columns (one per class).
 */
export function readScoreMatrix(scores: ScoreMatrix, samples: number, name: string): ScoreRows {
  const rows = toRows(scores, samples, name);
  if (rows.rows !== samples) {
    throw new ShapeError(
      `${name} has ${rows.rows} rows but there are ${samples} labels: expected one row per sample`,
    );
  }
  if (rows.columns < 2) {
    throw new ShapeError(
      `${name} has ${rows.columns} column(s): expected one column per class, at least 2`,
    );
  }
  assertFinite(rows.data, name);
  return rows;
}

/**
 * Throws a {@link ValueError} unless every row holds probabilities: entries in [0, 1] that sum
 * to 1 within numpy's `allclose` tolerance (|sum - 1| <= 1e-8 + 1e-5 * sum).
 */
export function checkProbabilities(matrix: ScoreRows, name: string): void {
  const { data, rows, columns } = matrix;
  for (let r = 0; r < rows; r++) {
    let rowSum = 0;
    for (let c = 0; c < columns; c++) {
      const p = data[r * columns + c];
      if (p < 0 || p > 1) {
        throw new ValueError(`${name}[${r}][${c}] is ${p}: probabilities must lie in [0, 1]`);
      }
      rowSum += p;
    }
    if (Math.abs(rowSum - 1) > 1e-8 + 1e-5 * rowSum) {
      throw new ValueError(
        `row ${r} of ${name} sums to ${rowSum}: expected probabilities that sum to 1 over the classes`,
      );
    }
  }
}

/**
 * Throws unless every label (already checked to be an integer) is a column index of a matrix
 * with `columns` classes.
 */
export function checkClassIndices(yTrue: ArrayLike<number>, columns: number): void {
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] < 0 || yTrue[i] >= columns) {
      throw new ValueError(
        `yTrue[${i}] is ${yTrue[i]}, but the score matrix has ${columns} columns: ` +
          `expected a class index in [0, ${columns})`,
      );
    }
  }
}

function toRows(scores: ScoreMatrix, samples: number, name: string): ScoreRows {
  if (scores instanceof Tensor) {
    if (scores.dtype !== 'float32') {
      throw new DTypeError(`${name} must be a float32 tensor, got ${scores.dtype}`);
    }
    const [rows, columns] = scores.matrixShape(name);
    return { data: scores.contiguousData(), rows, columns, epsilon: FLOAT32_EPSILON };
  }
  if (scores instanceof Float32Array || scores instanceof Float64Array) {
    if (samples === 0 || scores.length % samples !== 0) {
      throw new ShapeError(
        `${name} holds ${scores.length} values, which is not a whole number of rows for ` +
          `${samples} samples: expected samples x classes values in row-major order`,
      );
    }
    const epsilon = scores instanceof Float32Array ? FLOAT32_EPSILON : Number.EPSILON;
    return { data: scores, rows: samples, columns: scores.length / samples, epsilon };
  }
  if (Array.isArray(scores)) {
    const columns = scores.length === 0 ? 0 : scores[0].length;
    const data = new Float64Array(scores.length * columns);
    scores.forEach((row: readonly number[], r: number) => {
      if (!Array.isArray(row) || row.length !== columns) {
        throw new ShapeError(
          `${name}[${r}] has ${Array.isArray(row) ? row.length : 'no'} entries: expected ${columns} like row 0`,
        );
      }
      data.set(row, r * columns);
    });
    return { data, rows: scores.length, columns, epsilon: Number.EPSILON };
  }
  throw new ValueError(
    `${name} must be a 2-D Tensor, a Float32Array/Float64Array or an array of rows, got ${String(scores)}`,
  );
}
