import { ShapeError, Tensor, type DType } from '@typedlearn/tensor';

/**
 * A new contiguous tensor holding rows `indices` of `tensor` (along its first axis), in order;
 * with `shared`, in shared memory, which worker threads read without a copy.
 */
export function takeRows<D extends DType>(
  tensor: Tensor<D>,
  indices: ArrayLike<number>,
  { shared = false }: { shared?: boolean } = {},
): Tensor<D> {
  if (tensor.rank === 0) throw new ShapeError('takeRows needs a tensor of rank >= 1, got a scalar');
  const source = tensor.contiguous();
  const rows = source.shape[0];
  const rowSize = rows === 0 ? 0 : source.size / rows;
  const out = Tensor.zeros([indices.length, ...source.shape.slice(1)], source.dtype, { shared });
  for (let r = 0; r < indices.length; r++) {
    const i = checkIndex(indices[r], rows, r);
    const from = source.offset + i * rowSize;
    out.data.set(source.data.subarray(from, from + rowSize), r * rowSize);
  }
  return out;
}

/** The labels at `indices`, in order: an Int32Array from an Int32Array, an array otherwise. */
export function takeLabels(labels: Int32Array, indices: ArrayLike<number>): Int32Array;
export function takeLabels<L>(labels: ArrayLike<L>, indices: ArrayLike<number>): L[];
export function takeLabels<L>(labels: ArrayLike<L>, indices: ArrayLike<number>): L[] | Int32Array {
  const at = (r: number) => labels[checkIndex(indices[r], labels.length, r)];
  if (labels instanceof Int32Array) {
    const out = new Int32Array(indices.length);
    for (let r = 0; r < indices.length; r++) out[r] = at(r) as number;
    return out;
  }
  return Array.from({ length: indices.length }, (_, r) => at(r));
}

function checkIndex(i: number, length: number, position: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= length) {
    throw new ShapeError(
      `index ${i} at position ${position} is out of range: expected 0 <= i < ${length}`,
    );
  }
  return i;
}
