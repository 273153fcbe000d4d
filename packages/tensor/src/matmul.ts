import { DTypeError, ShapeError } from './errors.js';
import { gemm } from './gemm.js';
import { Tensor } from './tensor.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Multiply by the transpose of `a` (default false). */
  transA?: boolean;
  /** Multiply by the transpose of `b` (default false). */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the existing `out` added to the product (default 0: `out` is overwritten). */
  beta?: number;
  /** Where to write the result: a float32 [m, n] tensor with unit column stride (default: a new tensor). */
  out?: Tensor;
}

/**
 * The matrix product alpha * op(a) * op(b) + beta * out of 2-D float32 tensors, by {@link gemm}.
 *
 * Views are used without copying when their rows or their columns are contiguous: a
 * transposed view of a row-major matrix is passed to GEMM as the stored matrix with the
 * transpose flag flipped. Other views are copied once with `contiguous()`.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const left = asStoredMatrix(a, 'a', transA);
  const right = asStoredMatrix(b, 'b', transB);
  const [m, k] = left.opShape;
  const [kb, n] = right.opShape;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions differ: op(a) is ${m} x ${k} but op(b) is ${kb} x ${n}; expected op(b) to have ${k} rows`,
    );
  }
  const out = options.out ?? Tensor.zeros([m, n]);
  if (out.dtype !== 'float32') {
    throw new DTypeError(`matmul: out must be a float32 tensor, got ${out.dtype}`);
  }
  const [outRows, outCols] = out.matrixShape('matmul out');
  if (outRows !== m || outCols !== n) {
    throw new ShapeError(`matmul: out has shape [${outRows}, ${outCols}], expected [${m}, ${n}]`);
  }
  if (n > 1 && out.strides[1] !== 1) {
    throw new ShapeError(
      'matmul: out must have unit column stride (a row-major matrix or a row slice of one)',
    );
  }
  const ldc = m > 1 ? out.strides[0] : Math.max(1, n);
  gemm(
    left.trans,
    right.trans,
    m,
    n,
    k,
    alpha,
    left.data,
    left.ld,
    right.data,
    right.ld,
    beta,
    out.data.subarray(out.offset),
    ldc,
  );
  return out;
}

interface StoredMatrix {
  /** The storage, starting at the matrix's first element. */
  data: Float32Array;
  /** Row stride of the stored matrix. */
  ld: number;
  /** Whether GEMM must transpose the stored matrix to obtain op(t). */
  trans: boolean;
  /** [rows, cols] of op(t). */
  opShape: [number, number];
}

/** How `t` (or its transpose when `transpose`) can be handed to GEMM without a copy. */
function asStoredMatrix(t: Tensor, name: string, transpose: boolean): StoredMatrix {
  if (t.dtype !== 'float32') {
    throw new DTypeError(`matmul: ${name} must be a float32 tensor, got ${t.dtype}`);
  }
  const [rows, cols] = t.matrixShape(`matmul ${name}`);
  const opShape: [number, number] = transpose ? [cols, rows] : [rows, cols];
  const [rowStride, colStride] = t.strides;
  if (cols <= 1 || colStride === 1) {
    // Rows are contiguous: the tensor is a row-major matrix with row stride rowStride.
    const ld = rows > 1 ? rowStride : Math.max(1, cols);
    if (ld >= Math.max(1, cols)) {
      return { data: t.data.subarray(t.offset), ld, trans: transpose, opShape };
    }
  }
  if (rowStride === 1 && colStride >= Math.max(1, rows)) {
    // Columns are contiguous: t is the transpose of a row-major cols x rows matrix.
    return { data: t.data.subarray(t.offset), ld: colStride, trans: !transpose, opShape };
  }
  const copy = t.contiguous();
  return {
    data: copy.data.subarray(copy.offset),
    ld: Math.max(1, cols),
    trans: transpose,
    opShape,
  };
}
