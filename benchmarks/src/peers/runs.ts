// What bench:peers measures: which implementations run, with which hyper-parameters, and the
// pairs (typedlearn, peer) whose ratios it reports. Every pair uses the same hyper-parameters
// expressed in each library's own terms (the translations are commented where they differ).

/** A model family, as in bench:mnist. */
export type Family = 'softmax' | 'svm' | 'forest' | 'mlp';

/** Who fits the model. */
export type Impl = 'typedlearn' | 'scikit-learn' | 'tfjs-cpu' | 'libsvm-js' | 'ml-random-forest';

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
}

/** What a child process reports. */
export interface RunResult {
  key: string;
  fitSeconds: number;
  predictSeconds: number;
  accuracy: number;
  peakRssMB: number;
}

/** A typedlearn run and the peer run it is compared with. */
export interface Comparison {
  /** `--models` name of the family. */
  family: Family;
  title: string;
  typedlearn: RunSpec;
  peer: RunSpec;
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
  ): RunSpec => ({
    key: `${impl}/${family}${variant}`,
    impl,
    family,
    label,
    params: params as Record<string, unknown>,
    nTrain,
    nTest: s.nTest,
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
  return all;
}
