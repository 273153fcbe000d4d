// What bench:peers measures: which implementations run, with which hyper-parameters, and the
// pairs (typedlearn, peer) whose ratios it reports. Every pair uses the same hyper-parameters
// expressed in each library's own terms (the translations are commented where they differ).

/** A model family, as in bench:mnist. */
export type Family = 'softmax' | 'svm' | 'forest' | 'mlp' | 'convnet';

/**
 * Who fits the model. `tfjs-wasm` only predicts: tfjs's WebAssembly backend cannot train a
 * convnet (it registers no `Conv2DBackpropFilter` kernel), so it predicts with the network
 * tfjs-cpu trained, in tfjs-cpu's process.
 */
export type Impl =
  | 'typedlearn'
  | 'scikit-learn'
  | 'tfjs-cpu'
  | 'tfjs-wasm'
  | 'libsvm-js'
  | 'ml-random-forest'
  | 'convnetjs';

/** One fit + predict, in its own child process. */
export interface RunSpec {
  /** Stable key, e.g. `typedlearn/mlp`; a typedlearn run shared by two comparisons runs once. */
  key: string;
  impl: Impl;
  family: Family;
  /** Short human description of the model and its settings. */
  label: string;
  /** Hyper-parameters in the implementation's own vocabulary. */
  params: Record<string, unknown>;
  nTrain: number;
  nTest: number;
  seed: number;
  /** Folder with the four raw MNIST IDX files. */
  dataDir: string;
  /**
   * A predict-only run measured in another run's process, with the model that run trained (the
   * spec of that run): it has no fit time nor peak memory of its own.
   */
  measuredBy?: RunSpec;
  /** The key of the predict-only run this run's process measures too, after its own prediction. */
  alsoMeasures?: string;
}

/** What a child process reports. */
export interface RunResult {
  key: string;
  /** Absent for a predict-only run (see {@link RunSpec.measuredBy}). */
  fitSeconds?: number;
  predictSeconds: number;
  accuracy: number;
  /** Absent for a predict-only run, which shares its process with the run that trained. */
  peakRssMB?: number;
  /** The results of the predict-only runs measured in the same process ({@link RunSpec.alsoMeasures}). */
  also?: RunResult[];
}

/** A typedlearn run and the peer run it is compared with. */
export interface Comparison {
  /** `--models` name of the family. */
  family: Family;
  title: string;
  typedlearn: RunSpec;
  peer: RunSpec;
  /** Only the prediction is compared (the peer did not train: see {@link RunSpec.measuredBy}). */
  predictOnly?: boolean;
}

/** Sizes and knobs chosen on the command line. */
export interface PeerSettings {
  nTrain: number;
  nTest: number;
  seed: number;
  dataDir: string;
  /** Epochs of the mini-batch models (softmax with Adam, MLP). */
  epochs: number;
  /** Trees of the random forests. */
  trees: number;
  /**
   * Training rows and trees of the comparison with ml-random-forest, whose CART scans every
   * threshold of every feature: minutes for what takes the others a second, so it gets a
   * smaller problem (typedlearn runs that same smaller problem for the ratio).
   */
  mlForestTrain: number;
  mlForestTrees: number;
  /**
   * Epochs, training rows and test rows of the convnet comparisons: tfjs-cpu takes minutes per
   * epoch of 5,000 digits, and the test rows time the prediction (MNIST's 10,000 by default).
   */
  cnnEpochs: number;
  cnnTrain: number;
  cnnTest: number;
}

/**
 * The convnet of the comparisons, the TensorFlow.js MNIST example's network (which ConvNetJS can
 * express too): conv 8 x 5x5 valid + ReLU, 2x2 max pool stride 2, conv 16 x 5x5 valid + ReLU, 2x2
 * max pool stride 2, flatten, dense 10 + softmax (28 -> 24 -> 12 -> 8 -> 4; 4 x 4 x 16 = 256
 * features into the last layer). Each runner builds it in its library's vocabulary.
 */
export const CONVNET_ARCHITECTURE = {
  imageShape: [28, 28, 1],
  filters: [8, 16],
  kernelSize: 5,
  poolSize: 2,
  classes: 10,
} as const;

/** The hyper-parameters every convnet runner receives (`RunSpec.params` of the convnet family). */
export interface ConvNetParams {
  imageShape: [number, number, number];
  filters: number[];
  kernelSize: number;
  poolSize: number;
  classes: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Every comparison of the families asked for. */
export function comparisons(families: readonly Family[], s: PeerSettings): Comparison[] {
  const run = (
    impl: Impl,
    family: Family,
    variant: string,
    label: string,
    params: object,
    nTrain = s.nTrain,
    nTest = s.nTest,
  ): RunSpec => ({
    key: `${impl}/${family}${variant}`,
    impl,
    family,
    label,
    params: params as Record<string, unknown>,
    nTrain,
    nTest,
    seed: s.seed,
    dataDir: s.dataDir,
  });
  const all: Comparison[] = [];

  if (families.includes('softmax')) {
    // Full-batch L-BFGS to the optimum of C * sum CE + ||W||^2 / 2, both sides.
    const lbfgs = { C: 1, maxIter: 100, tol: 1e-4 };
    all.push({
      family: 'softmax',
      title: 'Softmax regression, L-BFGS (C = 1, 100 iterations)',
      typedlearn: run('typedlearn', 'softmax', '-lbfgs', 'SoftmaxRegression lbfgs', {
        ...lbfgs,
        solver: 'lbfgs',
      }),
      peer: run(
        'scikit-learn',
        'softmax',
        '-lbfgs',
        'LogisticRegression(multinomial, lbfgs)',
        lbfgs,
      ),
    });
    // The same objective by mini-batch Adam; tfjs adds l2 * sum W^2 to the mean loss, so the
    // penalty ||W||^2 / (2 C n) of the mean objective is l2 = 1 / (2 C n).
    const adam = { C: 1, epochs: s.epochs, batchSize: 128, learningRate: 1e-3 };
    all.push({
      family: 'softmax',
      title: `Softmax regression, Adam (${s.epochs} epochs, batch 128)`,
      typedlearn: run('typedlearn', 'softmax', '-adam', 'SoftmaxRegression adam', adam),
      peer: run('tfjs-cpu', 'softmax', '-adam', 'tf.layers dense + softmax, adam', {
        ...adam,
        l2: 1 / (2 * adam.C * s.nTrain),
      }),
    });
  }

  if (families.includes('mlp')) {
    // One hidden layer of 100 ReLUs (scikit-learn's default), Adam at 1e-3, batch 200, no
    // dropout, constant step. scikit-learn's alpha adds (alpha / 2) ||W||^2 / batch to the
    // batch loss: typedlearn's l2 = alpha / batch; tfjs's l2 regulariser = alpha / (2 batch).
    const mlp = { hidden: 100, epochs: s.epochs, batchSize: 200, learningRate: 1e-3, alpha: 1e-4 };
    const typedlearnMlp = run('typedlearn', 'mlp', '', 'MLPClassifier [100] adam', mlp);
    all.push({
      family: 'mlp',
      title: `MLP 784-100-10, Adam (${s.epochs} epochs, batch 200)`,
      typedlearn: typedlearnMlp,
      peer: run('scikit-learn', 'mlp', '', 'MLPClassifier((100,), adam)', mlp),
    });
    all.push({
      family: 'mlp',
      title: `MLP 784-100-10, Adam (${s.epochs} epochs, batch 200)`,
      typedlearn: typedlearnMlp,
      peer: run('tfjs-cpu', 'mlp', '', 'tf.layers 784-100-10, adam', mlp),
    });
  }

  if (families.includes('svm')) {
    // RBF kernel, C = 5, gamma = 1 / (784 Var(X)) ('scale'), tol 1e-3, 200 MB kernel cache.
    const svm = { C: 5, gamma: 'scale', tol: 1e-3, cacheMB: 200 };
    const typedlearnSvm = run('typedlearn', 'svm', '', 'SVC rbf', svm);
    all.push({
      family: 'svm',
      title: 'SVC, RBF kernel (C = 5, gamma = scale)',
      typedlearn: typedlearnSvm,
      peer: run('scikit-learn', 'svm', '', 'SVC(rbf) = LIBSVM', svm),
    });
    all.push({
      family: 'svm',
      title: 'SVC, RBF kernel (C = 5, gamma = scale)',
      typedlearn: typedlearnSvm,
      peer: run('libsvm-js', 'svm', '', 'libsvm-js C-SVC (WebAssembly)', svm),
    });
  }

  if (families.includes('forest')) {
    // sqrt(784) = 28 features per node, bootstrap samples, trees grown to purity.
    const forest = { trees: s.trees, maxFeatures: 'sqrt' };
    const typedlearnForest = run('typedlearn', 'forest', '', 'RandomForestClassifier', forest);
    all.push({
      family: 'forest',
      title: `Random forest (${s.trees} trees, sqrt features per node)`,
      typedlearn: typedlearnForest,
      peer: run('scikit-learn', 'forest', '', 'RandomForestClassifier(n_jobs=1)', forest),
    });
    const small = { trees: s.mlForestTrees, maxFeatures: 'sqrt' };
    const nSmall = Math.min(s.nTrain, s.mlForestTrain);
    all.push({
      family: 'forest',
      title: `Random forest (${s.mlForestTrees} trees, sqrt features, ${nSmall} training digits)`,
      typedlearn: run('typedlearn', 'forest', '-small', 'RandomForestClassifier', small, nSmall),
      peer: run('ml-random-forest', 'forest', '-small', 'ml-random-forest', small, nSmall),
    });
  }

  if (families.includes('convnet')) {
    // The same network, Adam (beta1 0.9, beta2 0.999, epsilon 1e-8) at a constant 1e-3 on the
    // mean cross-entropy of batches of 64, every library's own weight initialisation, no
    // augmentation, dropout nor L2. ConvNetJS 0.3.0 has no Adam (sgd, adagrad, windowgrad,
    // adadelta only): its runner applies this Adam step to the gradients ConvNetJS computes.
    const cnn = {
      ...CONVNET_ARCHITECTURE,
      epochs: s.cnnEpochs,
      batchSize: 64,
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    };
    const epochs = `${s.cnnEpochs} epoch${s.cnnEpochs === 1 ? '' : 's'}`;
    const title = (what: string) =>
      `${what} (${epochs} of ${s.cnnTrain} digits, Adam, batch 64; ${s.cnnTest} predicted)`;
    const cnnRun = (impl: Impl, variant: string, label: string, params: object) =>
      run(impl, 'convnet', variant, label, params, s.cnnTrain, s.cnnTest);
    const typedlearnCnn = cnnRun('typedlearn', '', 'ConvNetClassifier, wasm-simd backend', {
      ...cnn,
      backend: 'wasm-simd',
    });
    const typedlearnJs = cnnRun('typedlearn', '-js', 'ConvNetClassifier, js backend', {
      ...cnn,
      backend: 'js',
    });
    const convnetjs = cnnRun('convnetjs', '', 'ConvNetJS 0.3.0 net (Adam step added)', cnn);
    const tfjsWasmKey = 'tfjs-wasm/convnet';
    const tfjsCpu = {
      ...cnnRun('tfjs-cpu', '', 'tf.layers conv2d/maxPooling2d/dense, adam', cnn),
      alsoMeasures: tfjsWasmKey,
    };
    const tfjsWasm = {
      ...cnnRun('tfjs-wasm', '', "tfjs-wasm predict with tfjs-cpu's weights", cnn),
      measuredBy: tfjsCpu,
    };
    const convnetTitle = 'Convnet 8c5-p2-16c5-p2-10';
    all.push(
      {
        family: 'convnet',
        title: title(convnetTitle),
        typedlearn: typedlearnCnn,
        peer: convnetjs,
      },
      { family: 'convnet', title: title(convnetTitle), typedlearn: typedlearnCnn, peer: tfjsCpu },
      {
        family: 'convnet',
        title: `${convnetTitle}, prediction of ${s.cnnTest} digits (tfjs-cpu's weights)`,
        typedlearn: typedlearnCnn,
        peer: tfjsWasm,
        predictOnly: true,
      },
      {
        family: 'convnet',
        title: title(`${convnetTitle}, typedlearn on its js backend`),
        typedlearn: typedlearnJs,
        peer: convnetjs,
      },
      {
        family: 'convnet',
        title: title(`${convnetTitle}, typedlearn on its js backend`),
        typedlearn: typedlearnJs,
        peer: tfjsCpu,
      },
    );
  }
  return all;
}
