import { FormatError, type DType, type Tensor } from '@typedlearn/tensor';
import type { TransformState } from './transformer.js';

/** Throws a FormatError unless `state` is a {@link TransformState} of type `expected`. */
export function checkStateType(state: TransformState, expected: string): void {
  if (state === null || typeof state !== 'object' || state.transformType !== expected) {
    throw new FormatError(`expected a '${expected}' transform state, got ${describeType(state)}`);
  }
  if (!Number.isInteger(state.nFeatures) || state.nFeatures < 1) {
    throw new FormatError(
      `'${expected}' state nFeatures must be a positive integer, got ${String(state.nFeatures)}`,
    );
  }
}

/**
 * A copy of the float32 tensor `name` of `state`, after checking that it exists and has
 * exactly `shape`; a missing or misshapen tensor is a FormatError naming what was expected.
 */
export function stateTensor(
  state: TransformState,
  name: string,
  shape: readonly number[],
): Float32Array {
  const tensor: Tensor<DType> | undefined = state.tensors?.[name];
  const expected = `a float32 tensor '${name}' of shape [${shape.join(', ')}]`;
  if (tensor === undefined) {
    throw new FormatError(`'${state.transformType}' state lacks ${expected}`);
  }
  if (
    tensor.dtype !== 'float32' ||
    tensor.shape.length !== shape.length ||
    tensor.shape.some((n, d) => n !== shape[d])
  ) {
    throw new FormatError(
      `'${state.transformType}' state needs ${expected}, got ${tensor.dtype} [${tensor.shape.join(', ')}]`,
    );
  }
  return tensor.toTypedArray() as Float32Array;
}

function describeType(state: unknown): string {
  if (state === null || typeof state !== 'object') return String(state);
  const type = (state as { transformType?: unknown }).transformType;
  return type === undefined ? 'an object without transformType' : `'${String(type)}'`;
}
