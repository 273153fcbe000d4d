import {
  allocateShared,
  gemm,
  isShared,
  sharedCopy,
  symmetricEigen,
  Tensor,
  ValueError,
  type WorkerPool,
} from '@typedlearn/tensor';
import { checkFeatureCount, featureMatrix, type FeatureMatrix } from './feature-matrix.js';
import { CHUNK_GRAM, CHUNK_ROWS, chunkGram, type ChunkGramInput } from './pca-chunk-gram.js';
import { checkStateType, stateTensor } from './state.js';
import { BaseTransformer, type TransformState } from './transformer.js';

/** Options of {@link PCA}. */
export interface PCAOptions {
  /**
   * How many components to keep: a count `k >= 1`, a fraction in (0, 1) meaning "the fewest
   * components whose explained variance ratios add up to more than it" (as scikit-learn), or
   * 'all' for min(samples, features). Default 'all'.
   */
  nComponents: number | 'all';
}

interface PCAState {
  mean: Float32Array;
  /** [k, features], row-major: row i is the i-th principal axis. */
  components: Float32Array;
  explainedVariance: Float32Array;
  explainedVarianceRatio: Float32Array;
  /** components . mean, subtracted after projecting uncentred rows. */
  projectedMean: Float64Array;
}

/**
 * Principal component analysis: projects centred data onto the directions of largest
 * variance (scikit-learn's `PCA` with the full solver, computed through the covariance).
 *
 * `fit` centres X, forms the sample covariance C = Xc^T Xc / (n - 1) with GEMM, and takes C's
 * eigen-decomposition with `symmetricEigen` (Householder + implicit QL): the eigenvectors are
 * the principal axes and the eigenvalues the explained variances, which equal the squared
 * singular values of Xc divided by n - 1 that an SVD would give (Jolliffe, "Principal
 * Component Analysis", 2nd ed., section 3.5). Each component's sign is chosen so that its
 * largest-magnitude entry is positive, which makes the result deterministic.
 *
 * Cost: O(n d^2) for the covariance plus O(d^3) for the eigensolver, with d = features; memory
 * O(d^2) beyond the input (the centred data is formed a chunk of rows at a time).
 */
export class PCA extends BaseTransformer<PCAOptions, PCAState> {
  readonly transformType = 'pca';

  constructor(options?: Partial<PCAOptions>) {
    super({ nComponents: 'all' }, options);
  }

  /** Restores a PCA saved with `toState()`. */
  static fromState(state: TransformState): PCA {
    checkStateType(state, 'pca');
    const pca = new PCA(state.params as Partial<PCAOptions>);
    const d = state.nFeatures;
    const k = state.tensors?.explainedVariance?.shape[0] ?? 0;
    const mean = stateTensor(state, 'mean', [d]);
    const components = stateTensor(state, 'components', [k, d]);
    const explainedVariance = stateTensor(state, 'explainedVariance', [k]);
    const explainedVarianceRatio = stateTensor(state, 'explainedVarianceRatio', [k]);
    return pca.restore(d, {
      mean,
      components,
      explainedVariance,
      explainedVarianceRatio,
      projectedMean: project(components, mean, k, d),
    });
  }

  /** The principal axes [nComponents, features], in decreasing order of variance. */
  get components(): Tensor {
    const { components, explainedVariance } = this.state;
    return new Tensor(components, [explainedVariance.length, this.nFeatures]);
  }

  /** Per-feature mean of the training data. */
  get mean(): Float32Array {
    return this.state.mean;
  }

  /** Variance of the training data along each component (divisor n - 1). */
  get explainedVariance(): Float32Array {
    return this.state.explainedVariance;
  }

  /** Each component's share of the total variance. */
  get explainedVarianceRatio(): Float32Array {
    return this.state.explainedVarianceRatio;
  }

  /** Number of components kept by `fit`. */
  get nComponents(): number {
    return this.state.explainedVariance.length;
  }

  /** Maps projected rows [samples, nComponents] back to feature space: Z W + mean. */
  inverseTransform(Z: Tensor): Tensor {
    const { components, mean } = this.state;
    const k = this.nComponents;
    const d = this.nFeatures;
    const z = featureMatrix(Z, 'PCA.inverseTransform');
    checkFeatureCount('PCA.inverseTransform (as components)', z.cols, k);
    const out = new Float32Array(z.rows * d);
    gemm(false, false, z.rows, d, k, 1, z.data, k, components, d, 0, out, d);
    for (let i = 0; i < z.rows; i++) {
      const base = i * d;
      for (let j = 0; j < d; j++) out[base + j] += mean[j];
    }
    return new Tensor(out, [z.rows, d]);
  }

  protected validateParams({ nComponents }: PCAOptions): void {
    const valid =
      nComponents === 'all' ||
      (typeof nComponents === 'number' &&
        ((Number.isInteger(nComponents) && nComponents >= 1) ||
          (nComponents > 0 && nComponents < 1)));
    if (!valid) {
      throw new ValueError(
        `PCA nComponents must be a count >= 1, a variance fraction in (0, 1) or 'all', got ${String(nComponents)}`,
      );
    }
  }

  protected fitMatrix(x: FeatureMatrix): PCAState {
    const { mean, varying } = checkedMoments(x);
    return this.stateFrom(x, mean, varying, covarianceMatrix(x, mean, varying));
  }

  /** {@link fitMatrix} with the covariance's chunks on the threads of `pool`: the same state. */
  protected override async fitMatrixOn(x: FeatureMatrix, pool: WorkerPool): Promise<PCAState> {
    if (pool.threads === 1) return this.fitMatrix(x);
    const { mean, varying } = checkedMoments(x);
    return this.stateFrom(x, mean, varying, await covarianceOnPool(x, mean, varying, pool));
  }

  private stateFrom(
    { rows: n, cols: d }: FeatureMatrix,
    mean: Float64Array,
    varying: Int32Array,
    covariance: Float64Array,
  ): PCAState {
    // A fixed count of components needs only that many axes; a variance fraction, all of them.
    const { nComponents } = this.params;
    const axes = typeof nComponents === 'number' && nComponents >= 1 ? Math.min(nComponents, d) : d;
    const { values, vectors } = principalAxes(covariance, varying, d, axes);

    let totalVariance = 0;
    for (let a = 0; a < varying.length; a++) totalVariance += covariance[a * varying.length + a];
    const variances = values.map((v) => Math.max(v, 0)); // round-off can make zeros negative
    const k = this.componentCount(variances, totalVariance, Math.min(n, d));

    const components = new Float32Array(k * d);
    for (let c = 0; c < k; c++) {
      const axis = vectors.subarray(c * d, c * d + d);
      const sign = largestEntrySign(axis);
      for (let j = 0; j < d; j++) components[c * d + j] = sign * axis[j];
    }
    const explainedVariance = Float32Array.from(variances.subarray(0, k));
    const explainedVarianceRatio = Float32Array.from(variances.subarray(0, k), (v) =>
      totalVariance > 0 ? v / totalVariance : 0,
    );
    const mean32 = Float32Array.from(mean);
    return {
      mean: mean32,
      components,
      explainedVariance,
      explainedVarianceRatio,
      projectedMean: project(components, mean32, k, d),
    };
  }

  /** (X - mean) W^T, computed as X W^T - W mean so X is not copied to centre it. */
  protected transformMatrix({ data, rows, cols }: FeatureMatrix, state: PCAState): Tensor {
    const { components, projectedMean } = state;
    const k = projectedMean.length;
    const out = new Float32Array(rows * k);
    gemm(false, true, rows, k, cols, 1, data, cols, components, cols, 0, out, k);
    for (let i = 0; i < rows; i++) {
      const base = i * k;
      for (let c = 0; c < k; c++) out[base + c] -= projectedMean[c];
    }
    return new Tensor(out, [rows, k]);
  }

  protected stateTensors(state: PCAState) {
    const k = state.explainedVariance.length;
    return {
      mean: new Tensor(state.mean.slice(), [state.mean.length]),
      components: new Tensor(state.components.slice(), [k, state.mean.length]),
      explainedVariance: new Tensor(state.explainedVariance.slice(), [k]),
      explainedVarianceRatio: new Tensor(state.explainedVarianceRatio.slice(), [k]),
    };
  }

  private componentCount(variances: Float64Array, total: number, limit: number): number {
    const { nComponents } = this.params;
    if (nComponents === 'all') return limit;
    if (nComponents >= 1) {
      if (nComponents > limit) {
        throw new ValueError(
          `PCA nComponents = ${nComponents} exceeds min(samples, features) = ${limit}`,
        );
      }
      return nComponents;
    }
    // The fewest leading components whose cumulative ratio exceeds the fraction.
    let cumulative = 0;
    for (let c = 0; c < limit; c++) {
      cumulative += variances[c] / total;
      if (cumulative > nComponents) return c + 1;
    }
    return limit;
  }
}

/** The column means and the varying columns of at least 2 rows. */
function checkedMoments(x: FeatureMatrix): { mean: Float64Array; varying: Int32Array } {
  if (x.rows < 2) throw new ValueError(`PCA.fit needs at least 2 samples, got ${x.rows}`);
  return { mean: columnMeans(x), varying: varyingFeatures(x) };
}

function columnMeans({ data, rows, cols }: FeatureMatrix): Float64Array {
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) mean[j] += data[base + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  return mean;
}

/**
 * The features whose values are not all equal. The others have all-zero rows and columns in
 * the covariance, so they split off exactly (eigenvalue 0, their unit vector as axis) and are
 * left out of the O(n d^2) covariance and the O(d^3) eigensolver (67 of MNIST's 784 pixels
 * never vary over its training set).
 */
function varyingFeatures({ data, rows, cols }: FeatureMatrix): Int32Array {
  const varies = new Uint8Array(cols);
  // The features not yet seen to vary: most drop out within a few rows, and only the rest are
  // checked in the rows after.
  let unsure = Int32Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows && unsure.length > 0; i++) {
    const base = i * cols;
    let kept = 0;
    for (let k = 0; k < unsure.length; k++) {
      const j = unsure[k];
      if (data[base + j] !== data[j]) varies[j] = 1;
      else unsure[kept++] = j;
    }
    if (kept < unsure.length) unsure = unsure.subarray(0, kept);
  }
  const features: number[] = [];
  varies.forEach((v, j) => v === 1 && features.push(j));
  return Int32Array.from(features);
}

/**
 * The sample covariance Xc^T Xc / (n - 1) of the `features` columns, m x m in float64 with
 * its lower triangle filled (symmetricEigen reads no more): the float32 Gram matrices of
 * {@link CHUNK_ROWS} centred rows at a time ({@link chunkGram}) summed in float64 in row
 * order, so precision does not degrade with n.
 */
function covarianceMatrix(
  x: FeatureMatrix,
  mean: Float64Array,
  features: Int32Array,
): Float64Array {
  const { rows } = x;
  const m = features.length;
  const source = {
    data: x.data,
    cols: x.cols,
    features,
    featureMeans: featureMeans(mean, features),
  };
  const covariance = new Float64Array(m * m);
  const chunk = new Float32Array(Math.min(rows, CHUNK_ROWS) * m);
  const gram = new Float32Array(m * m);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    chunkGram(source, start, Math.min(CHUNK_ROWS, rows - start), chunk, gram);
    addLowerTriangle(covariance, gram, m);
  }
  return scaleLowerTriangle(covariance, m, 1 / (rows - 1));
}

/**
 * {@link covarianceMatrix} with the chunks' Gram matrices formed by the threads of `pool`, a
 * chunk each at a time, and summed here in the same order: the same bits as on one thread.
 */
async function covarianceOnPool(
  x: FeatureMatrix,
  mean: Float64Array,
  features: Int32Array,
  pool: WorkerPool,
): Promise<Float64Array> {
  const { rows } = x;
  const m = features.length;
  const source = {
    data: isShared(x.data) ? x.data : sharedCopy(x.data),
    cols: x.cols,
    features,
    featureMeans: featureMeans(mean, features),
  };
  const covariance = new Float64Array(m * m);
  const grams = Array.from({ length: pool.threads }, () => allocateShared('float32', m * m));
  for (let first = 0; first < rows; first += CHUNK_ROWS * pool.threads) {
    const inputs: ChunkGramInput[] = [];
    for (let t = 0; t < pool.threads && first + t * CHUNK_ROWS < rows; t++) {
      const start = first + t * CHUNK_ROWS;
      const count = Math.min(CHUNK_ROWS, rows - start);
      inputs.push({ ...source, start, count, gram: grams[t] });
    }
    await pool.map(CHUNK_GRAM, inputs);
    for (let t = 0; t < inputs.length; t++) addLowerTriangle(covariance, grams[t], m);
  }
  return scaleLowerTriangle(covariance, m, 1 / (rows - 1));
}

function featureMeans(mean: Float64Array, features: Int32Array): Float64Array {
  return Float64Array.from(features, (j) => mean[j]);
}

function addLowerTriangle(sum: Float64Array, gram: Float32Array, m: number): void {
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) sum[a * m + b] += gram[a * m + b];
  }
}

function scaleLowerTriangle(matrix: Float64Array, m: number, scale: number): Float64Array {
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) matrix[a * m + b] *= scale;
  }
  return matrix;
}

/**
 * Eigenvalues (decreasing) of the full d x d covariance and unit eigenvectors (rows) of the
 * first `count`, given the covariance `c` of the varying `features` only: their eigenpairs come
 * from symmetricEigen, scattered back to d coordinates, followed by eigenvalue 0 with the unit
 * vector of each constant feature.
 */
function principalAxes(
  c: Float64Array,
  features: Int32Array,
  d: number,
  count: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = features.length;
  const values = new Float64Array(d);
  const vectors = new Float64Array(count * d);
  if (m > 0) {
    const eigen = symmetricEigen(c, m, { vectors: Math.min(count, m) });
    values.set(eigen.values);
    for (let k = 0; k < Math.min(count, m); k++) {
      for (let a = 0; a < m; a++) vectors[k * d + features[a]] = eigen.vectors[k * m + a];
    }
  }
  const varying = new Set(features);
  let next = m;
  for (let j = 0; j < d && next < count; j++) if (!varying.has(j)) vectors[next++ * d + j] = 1;
  return { values, vectors };
}

/** W m for W [k, d] row-major and m [d], in float64. */
function project(components: Float32Array, mean: Float32Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += components[c * d + j] * mean[j];
    out[c] = s;
  }
  return out;
}

/** +1 or -1: the sign of the entry of largest magnitude (the first one on ties). */
function largestEntrySign(axis: Float64Array): number {
  let best = 0;
  for (let j = 1; j < axis.length; j++) if (Math.abs(axis[j]) > Math.abs(axis[best])) best = j;
  return axis[best] < 0 ? -1 : 1;
}
