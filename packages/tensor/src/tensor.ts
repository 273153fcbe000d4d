import ops from 'ndarray-ops';
import { allocate, dtypeOf, type DType, type StorageFor } from './dtype.js';
import { DTypeError, ShapeError, describeValue } from './errors.js';
import { ndarrayView } from './ndarray-view.js';
import { allocateShared } from './shared.js';

/** Options of {@link Tensor.zeros}. */
export interface ZerosOptions {
  /**
   * Back the tensor with a `SharedArrayBuffer` (see `allocateShared`) so pool workers can read
   * and write it without copying (default false).
   */
  shared?: boolean;
}

/**
 * An n-dimensional view onto a typed array: `element[i0, i1, ...] =
 * data[offset + i0 * strides[0] + i1 * strides[1] + ...]`.
 *
 * This is the storage model of NumPy and of scijs `ndarray`, so `reshape` (of a contiguous
 * tensor), `slice` and `transpose` are views that copy nothing, and conversion to and from
 * `ndarray` is zero-copy (see `ndarray.ts`). Hot kernels ask for {@link Tensor.contiguous}
 * row-major data and then loop over `data` directly.
 */
export class Tensor<D extends DType = 'float32'> {
  /** Element type: `'float32'` (the default), `'int32'` or `'uint8'`. */
  readonly dtype: D;
  /** The typed array the view reads and writes (shared with other views of it). */
  readonly data: StorageFor<D>;
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** Elements of `data` between neighbours along each dimension (row-major by default). */
  readonly strides: readonly number[];
  /** Index in `data` of the first element. Default 0. */
  readonly offset: number;

  /**
   * Wraps `data` without copying. `strides` default to row-major (C order) and `offset` to 0.
   * Throws a {@link ShapeError} when any index of the view would fall outside `data`.
   */
  constructor(
    data: StorageFor<D>,
    shape: readonly number[],
    strides: readonly number[] = rowMajorStrides(shape),
    offset = 0,
  ) {
    const dtype = dtypeOf(data);
    if (dtype === undefined) {
      throw new DTypeError(
        `Tensor storage must be a Float32Array, Int32Array or Uint8Array, got ${describeValue(data)}`,
      );
    }
    checkShape(shape);
    if (strides.length !== shape.length) {
      throw new ShapeError(
        `Tensor strides [${strides.join(', ')}] must have one entry per dimension of shape [${shape.join(', ')}]`,
      );
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ShapeError(`Tensor offset must be a non-negative integer, got ${offset}`);
    }
    let low = offset;
    let high = offset;
    let empty = false;
    for (let d = 0; d < shape.length; d++) {
      if (!Number.isInteger(strides[d])) {
        throw new ShapeError(`Tensor strides must be integers, got [${strides.join(', ')}]`);
      }
      if (shape[d] === 0) empty = true;
      const reach = (shape[d] - 1) * strides[d];
      if (reach < 0) low += reach;
      else high += reach;
    }
    if (!empty && (low < 0 || high >= data.length)) {
      throw new ShapeError(
        `Tensor view (shape [${shape.join(', ')}], strides [${strides.join(', ')}], offset ${offset}) ` +
          `reaches elements ${low}..${high} but the storage holds ${data.length}`,
      );
    }
    this.dtype = dtype as D;
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze([...strides]);
    this.offset = offset;
  }

  /** A new zero-filled tensor of `dtype` (default float32), in shared memory when `options.shared`. */
  static zeros<D extends DType = 'float32'>(
    shape: readonly number[],
    dtype: D = 'float32' as D,
    options: ZerosOptions = {},
  ): Tensor<D> {
    checkShape(shape);
    const size = sizeOf(shape);
    return new Tensor(options.shared ? allocateShared(dtype, size) : allocate(dtype, size), shape);
  }

  /**
   * A new tensor holding a copy of `values` (any array-like of numbers) in `shape`
   * (default: one dimension). Throws when the counts disagree or a value does not fit.
   */
  static from<D extends DType = 'float32'>(
    values: ArrayLike<number>,
    shape: readonly number[] = [values.length],
    dtype: D = 'float32' as D,
  ): Tensor<D> {
    checkShape(shape);
    if (sizeOf(shape) !== values.length) {
      throw new ShapeError(
        `Tensor.from got ${values.length} values for shape [${shape.join(', ')}], which holds ${sizeOf(shape)}`,
      );
    }
    const data = allocate(dtype, values.length);
    for (let i = 0; i < values.length; i++) data[i] = values[i];
    return new Tensor(data, shape);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** True when the view is row-major without gaps, so `data[offset .. offset + size)` is it. */
  get isContiguous(): boolean {
    let expected = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== expected) return false;
      expected *= this.shape[d];
    }
    return true;
  }

  /** The element at `index` (one integer per dimension). */
  get(...index: number[]): number {
    return this.data[this.flatIndex(index)];
  }

  /** Writes `value` at `index` (one integer per dimension). */
  set(value: number, ...index: number[]): void {
    this.data[this.flatIndex(index)] = value;
  }

  /**
   * The same elements in a new shape (one entry may be -1 to infer it). A view when the
   * tensor is contiguous, otherwise a reshaped contiguous copy.
   */
  reshape(shape: readonly number[]): Tensor<D> {
    const resolved = inferShape(shape, this.size);
    const source = this.contiguous();
    return new Tensor(source.data, resolved, rowMajorStrides(resolved), source.offset);
  }

  /** Rows `start` (inclusive) to `end` (exclusive) along the first axis, as a view. */
  slice(start: number, end: number = this.shape[0]): Tensor<D> {
    if (this.rank === 0) throw new ShapeError('slice needs a tensor of rank >= 1, got a scalar');
    const rows = this.shape[0];
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > rows ||
      start > end
    ) {
      throw new ShapeError(
        `slice(${start}, ${end}) is out of range for ${rows} rows: expected 0 <= start <= end <= ${rows}`,
      );
    }
    const shape = [end - start, ...this.shape.slice(1)];
    const offset = start < end ? this.offset + start * this.strides[0] : this.offset;
    return new Tensor(this.data, shape, this.strides, offset);
  }

  /** Row `i` of the first axis as a view of rank `rank - 1`. */
  row(i: number): Tensor<D> {
    if (this.rank === 0) throw new ShapeError('row needs a tensor of rank >= 1, got a scalar');
    if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
      throw new ShapeError(`row ${i} is out of range: expected 0 <= i < ${this.shape[0]}`);
    }
    return new Tensor(
      this.data,
      this.shape.slice(1),
      this.strides.slice(1),
      this.offset + i * this.strides[0],
    );
  }

  /** Permutes the axes as a view; with no argument reverses them (a matrix transpose). */
  transpose(perm?: readonly number[]): Tensor<D> {
    const order = perm ?? this.shape.map((_, d) => this.rank - 1 - d);
    const seen = new Set(order);
    if (
      order.length !== this.rank ||
      seen.size !== this.rank ||
      order.some((a) => !(a >= 0 && a < this.rank && Number.isInteger(a)))
    ) {
      throw new ShapeError(
        `transpose permutation [${order.join(', ')}] must list each axis 0..${this.rank - 1} exactly once`,
      );
    }
    return new Tensor(
      this.data,
      order.map((a) => this.shape[a]),
      order.map((a) => this.strides[a]),
      this.offset,
    );
  }

  /**
   * This tensor when it is already contiguous; otherwise a row-major copy. Kernels call this
   * once at their boundary and then work on `data` with plain index arithmetic.
   */
  contiguous(): Tensor<D> {
    return this.isContiguous ? this : this.clone();
  }

  /**
   * The elements in row-major order as a typed array of exactly `size` elements, for loops
   * that index it directly: a view of this tensor's storage when it is contiguous (no copy),
   * otherwise a contiguous copy.
   */
  contiguousData(): StorageFor<D> {
    const source = this.contiguous();
    return source.data.subarray(source.offset, source.offset + source.size) as StorageFor<D>;
  }

  /** A contiguous copy that shares nothing with this tensor. */
  clone(): Tensor<D> {
    const out = Tensor.zeros(this.shape, this.dtype);
    if (this.isContiguous) {
      out.data.set(this.data.subarray(this.offset, this.offset + this.size));
      return out;
    }
    // A strided copy is generic element-wise work, so ndarray-ops does it (on zero-copy views).
    ops.assign(ndarrayView(out), ndarrayView(this));
    return out;
  }

  /** The elements of a contiguous copy as a typed array of exactly `size` elements (a copy). */
  toTypedArray(): StorageFor<D> {
    return this.clone().data;
  }

  /** The elements as nested plain arrays (for printing and tests; not for hot paths). */
  toArray(): unknown {
    const build = (dim: number, base: number): unknown => {
      if (dim === this.rank) return this.data[base];
      const out: unknown[] = [];
      for (let i = 0; i < this.shape[dim]; i++)
        out.push(build(dim + 1, base + i * this.strides[dim]));
      return out;
    };
    return build(0, this.offset);
  }

  /** Throws a {@link ShapeError} unless this is a matrix; returns `[rows, cols]`. */
  matrixShape(name = 'tensor'): [number, number] {
    if (this.rank !== 2) {
      throw new ShapeError(
        `${name} must be a 2-D tensor [rows, cols], got shape [${this.shape.join(', ')}]`,
      );
    }
    return [this.shape[0], this.shape[1]];
  }

  private flatIndex(index: readonly number[]): number {
    if (index.length !== this.rank) {
      throw new ShapeError(
        `index [${index.join(', ')}] needs ${this.rank} entries for shape [${this.shape.join(', ')}]`,
      );
    }
    let flat = this.offset;
    for (let d = 0; d < index.length; d++) {
      const i = index[d];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]) {
        throw new ShapeError(
          `index [${index.join(', ')}] is out of range for shape [${this.shape.join(', ')}]`,
        );
      }
      flat += i * this.strides[d];
    }
    return flat;
  }
}

/** Row-major (C order) strides for `shape`. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

/** Product of the dimensions (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const n of shape) size *= n;
  return size;
}

function checkShape(shape: readonly number[]): void {
  for (const n of shape) {
    if (!Number.isInteger(n) || n < 0) {
      throw new ShapeError(`shape [${shape.join(', ')}] must hold non-negative integers`);
    }
  }
}

function inferShape(shape: readonly number[], size: number): number[] {
  const unknown = shape.filter((n) => n === -1).length;
  if (unknown > 1)
    throw new ShapeError(`reshape to [${shape.join(', ')}]: at most one dimension may be -1`);
  const known = shape.reduce((p, n) => (n === -1 ? p : p * n), 1);
  const resolved = shape.map((n) => (n === -1 ? (known === 0 ? 0 : size / known) : n));
  checkShape(resolved);
  if (sizeOf(resolved) !== size) {
    throw new ShapeError(`cannot reshape ${size} elements to [${shape.join(', ')}]`);
  }
  return resolved;
}
