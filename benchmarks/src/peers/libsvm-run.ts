// libsvm-js: LIBSVM 3.22 compiled to WebAssembly with emscripten (its default entry point; the
// asm.js build is the fallback). The same C-SVC that scikit-learn wraps, run inside Node.
import { createRequire } from 'node:module';
import { toNestedArrays, type PrepareRun } from './data.js';

interface LibsvmOptions {
  type: number;
  kernel: number;
  cost: number;
  gamma: number;
  tolerance: number;
  cacheSize: number;
  shrinking: boolean;
  quiet: boolean;
}

interface LibsvmModel {
  train(samples: number[][], labels: number[]): void;
  predict(samples: number[][]): number[];
}

interface LibsvmModule {
  new (options: LibsvmOptions): LibsvmModel;
  SVM_TYPES: { C_SVC: number };
  KERNEL_TYPES: { RBF: number };
}

/** scikit-learn's gamma = 'scale': 1 / (features * variance of all the entries of X). */
function scaleGamma(data: Float32Array, nFeatures: number): number {
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    sumOfSquares += data[i] * data[i];
  }
  const mean = sum / data.length;
  return 1 / (nFeatures * (sumOfSquares / data.length - mean * mean));
}

export const prepareLibsvm: PrepareRun = async (spec, { XTrain, yTrain, XTest }) => {
  const SVM = (await createRequire(import.meta.url)('libsvm-js')) as LibsvmModule;
  const p = spec.params as { C: number; tol: number; cacheMB: number };
  const [, nFeatures] = XTrain.matrixShape('X');
  const samples = toNestedArrays(XTrain);
  const testSamples = toNestedArrays(XTest);
  const svm = new SVM({
    type: SVM.SVM_TYPES.C_SVC,
    kernel: SVM.KERNEL_TYPES.RBF,
    cost: p.C,
    gamma: scaleGamma(XTrain.contiguous().data as Float32Array, nFeatures),
    tolerance: p.tol,
    cacheSize: p.cacheMB,
    shrinking: true,
    quiet: true,
  });
  const labels = Array.from(yTrain);
  return { fit: async () => svm.train(samples, labels), predict: () => svm.predict(testSamples) };
};
