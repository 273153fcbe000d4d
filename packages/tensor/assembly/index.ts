// The entry point `asc` compiles (scripts/build-wasm.ts): every kernel of the WebAssembly module.
export { gemmMicroKernel } from './gemm-kernel';
export { smallGemm } from './small-gemm';
export { packCut, packInterleaved } from './gemm-pack';
export { rowDots, rowSquaredDistances } from './row-kernels';
export {
  csrTimesDense,
  csrTimesDense64,
  csrTransposeTimesDense,
  csrTransposeTimesDense64,
} from './sparse-kernels';
export { adamStep } from './adam-kernel';
export { csrBlockDots } from './csr-block-dots';
export { conv2dFilterGradient, conv2dInputGradient, conv2dNhwc } from './conv2d-kernel';
export { maxPoolNhwc } from './max-pool-kernel';
export { reluBackward, reluInPlace } from './relu-kernels';
export { applyDropoutMask } from './dropout-kernel';
export { reflectRows, rotateRowPairs, symmetricRank2Update, symmetricTimes } from './eigen-kernels';
export { softmaxCrossEntropy64 } from './softmax-cross-entropy';
export { smoGradientStep, smoSecondOrderScan } from './smo-scans';
