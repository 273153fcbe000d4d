export { Tensor, rowMajorStrides, sizeOf, type ZerosOptions } from './tensor.js';
export { assertFinite, assertFiniteMatrix, firstNonFinite } from './finite.js';
export { toFloat32Matrix, type MatrixInput } from './matrix-input.js';
export {
  allocate,
  dtypeOf,
  type Allocator,
  type ArrayFor,
  type DType,
  type ElementType,
  type Storage,
  type StorageFor,
} from './dtype.js';
export {
  TypedlearnError,
  ShapeError,
  DTypeError,
  ValueError,
  FormatError,
  NotFittedError,
  describeValue,
} from './errors.js';
export { toNdarray, fromNdarray } from './ndarray.js';
export { gemm, GEMM_MR, GEMM_NR } from './gemm.js';
export { BACKEND_ENV, BACKENDS, getBackend, ready, setBackend, type Backend } from './backend.js';
export { gemmParallel } from './gemm-parallel.js';
export { DenseRows } from './dense-rows.js';
export { CsrBlockDots, type BlockWidth, type DotPrecision } from './csr-block-dots.js';
export { matmul, type MatmulOptions } from './matmul.js';
export { dot, axpy, gemv } from './blas.js';
export { softmaxRows, logSumExpRows, argmaxRows, rowSquaredNorms } from './rows.js';
export { softmaxCrossEntropy } from './softmax-cross-entropy.js';
export { sum, mean, variance } from './reduce.js';
export { pairwiseSquaredDistances } from './distances.js';
export { Rng } from './rng.js';
export {
  allocateShared,
  allocatorFor,
  isShared,
  sharedCopy,
  sharedMemoryAvailable,
} from './shared.js';
export { defineTask, type TaskRef, type TaskFunction } from './task.js';
export { WorkerPool, withPool } from './pool.js';
export { symmetricEigen, type SymmetricEigen, type SymmetricEigenOptions } from './eigen.js';
export {
  SparseRows,
  countNonzeros,
  fillSparseRows,
  sparseDenseProduct,
  sparseTransposeDenseProduct,
  type DenseMatrix,
} from './sparse-rows.js';
export { adamStep } from './adam-step.js';
export { reluBackward, reluInPlace } from './relu.js';
export { applyDropoutMask } from './dropout-mask.js';
export { RunnersUp, SmoScans } from './smo-scans.js';
export { KernelsArena, viewsIn } from './wasm/kernels-arena.js';
export { attachKernels, type SharedKernelsHandle } from './wasm/kernels.js';
export {
  conv2dFilterGradient,
  conv2dInputGradient,
  conv2dNhwc,
  type Conv2dShape,
} from './conv2d-nhwc.js';
export { maxPoolNhwc, type PoolShape } from './max-pool-nhwc.js';
