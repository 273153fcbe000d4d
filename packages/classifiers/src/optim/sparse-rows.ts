// The compressed-sparse-row matrix and its products live in the tensor core
// (@typedlearn/tensor, src/sparse-rows.ts); re-exported here for the classifiers' imports.
export { SparseRows, countNonzeros, fillSparseRows } from '@typedlearn/tensor';

/** Share of nonzero values below which the sparse kernels beat the dense GEMM. */
export const SPARSE_DENSITY_THRESHOLD = 0.5;

/**
 * The same share for an MLP's first layer on the `'wasm-simd'` backend, whose sparse kernels
 * (f32x4 over the units) beat its GEMM up to about 70% nonzeros (batch 200, 784 x 128).
 */
export const WASM_SPARSE_DENSITY_THRESHOLD = 0.7;
