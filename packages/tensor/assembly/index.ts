// The entry point `asc` compiles (scripts/build-wasm.ts): every kernel of the WebAssembly module.
export { gemmMicroKernel } from './gemm-kernel';
export { rowDots, rowSquaredDistances } from './row-kernels';
