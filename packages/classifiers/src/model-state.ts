import {
  DTypeError,
  FormatError,
  ShapeError,
  type DType,
  type StorageFor,
  type Tensor,
} from '@typedlearn/tensor';
import type { ModelState } from './classifier.js';

/**
 * What one tensor of a fitted state must be. A dimension of `-1` in `shape` may have any
 * length; `finite` also refuses NaN and infinities.
 */
export interface StateTensorSpec<D extends DType = DType> {
  dtype: D;
  shape: readonly number[];
  finite?: boolean;
}

/** The contiguous data of each tensor a {@link StateTensorSpec} record names. */
export type StateTensors<S extends Record<string, StateTensorSpec>> = {
  [K in keyof S]: StorageFor<S[K]['dtype']>;
};

/**
 * Reads a model's fitted tensors back from a {@link ModelState} (a model file), checking each
 * against its spec before the model uses it, so that every classifier refuses a damaged state
 * the same way: a state of another model type or a missing tensor is a {@link FormatError}, a
 * wrong dtype a {@link DTypeError}, a wrong shape a {@link ShapeError}, a non-finite value
 * (where `finite`) a {@link FormatError}; each message names the tensor and what was expected.
 * Each result is the tensor's elements in row-major order (a view when already contiguous).
 *
 * ```ts
 * const { coef, intercept } = readStateTensors(state, 'SoftmaxRegression', 'softmax', {
 *   coef: { dtype: 'float32', shape: [k, nFeatures] },
 *   intercept: { dtype: 'float32', shape: [k] },
 * });
 * ```
 */
export function readStateTensors<S extends Record<string, StateTensorSpec>>(
  state: ModelState,
  owner: string,
  modelType: string,
  specs: S,
): StateTensors<S> {
  checkModelType(state, owner, modelType);
  const out: Record<string, StorageFor<DType>> = {};
  for (const [name, spec] of Object.entries(specs))
    out[name] = stateTensor(state, owner, name, spec);
  return out as StateTensors<S>;
}

/** Throws a {@link FormatError} unless `state` is a state of `modelType`. */
export function checkModelType(state: ModelState, owner: string, modelType: string): void {
  if (state.modelType !== modelType) {
    throw new FormatError(
      `${owner}.fromState needs modelType '${modelType}', got '${state.modelType}'`,
    );
  }
}

/** One tensor of `state`, checked against `spec` as {@link readStateTensors} describes. */
export function stateTensor<D extends DType>(
  state: ModelState,
  owner: string,
  name: string,
  spec: StateTensorSpec<D>,
): StorageFor<D> {
  const tensor = state.tensors[name];
  if (tensor === undefined) throw new FormatError(`${owner} state has no '${name}' tensor`);
  if (tensor.dtype !== spec.dtype) {
    throw new DTypeError(
      `${owner} state tensor '${name}' must be ${spec.dtype}, got ${tensor.dtype}`,
    );
  }
  const { shape } = spec;
  const shapeOk =
    tensor.shape.length === shape.length &&
    shape.every((length, d) => length === -1 || tensor.shape[d] === length);
  if (!shapeOk) {
    const expected = shape.map((length) => (length === -1 ? 'n' : length)).join(', ');
    throw new ShapeError(
      `${owner} state tensor '${name}' must have shape [${expected}], got [${tensor.shape.join(', ')}]`,
    );
  }
  const data = (tensor as Tensor<D>).contiguousData();
  if (spec.finite) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new FormatError(
          `${owner} state tensor '${name}' holds a non-finite value ${data[i]} at element ${i}`,
        );
      }
    }
  }
  return data;
}
