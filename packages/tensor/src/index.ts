export { Tensor, rowMajorStrides, sizeOf, assertFinite } from './tensor.js';
export { allocate, dtypeOf, type DType, type Storage, type StorageFor } from './dtype.js';
export { TypedlearnError, ShapeError, DTypeError, ValueError, FormatError } from './errors.js';
export { symmetricEigen, type SymmetricEigen } from './eigen.js';
