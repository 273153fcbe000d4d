import { Tensor, ValueError } from '@typedlearn/tensor';
import type { FeatureMatrix } from './feature-matrix.js';
import { checkStateType, stateTensor } from './state.js';
import { BaseTransformer, type TransformState } from './transformer.js';

/** Options of {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract each feature's mean. Default true. */
  withMean: boolean;
  /** Divide each feature by its standard deviation. Default true. */
  withStd: boolean;
}

interface StandardState {
  mean: Float32Array;
  variance: Float32Array;
  /** The divisor of each feature: its standard deviation, or 1 where that is 0. */
  scale: Float32Array;
}

/**
 * Standardises each feature to zero mean and unit variance: `x' = (x - mean) / std`
 * (scikit-learn's `StandardScaler`). The variance is the population variance (divisor n),
 * accumulated in float64 by two passes; a feature that was constant in `fit` keeps a scale of
 * 1, so it becomes 0 instead of NaN.
 */
export class StandardScaler extends BaseTransformer<StandardScalerOptions, StandardState> {
  readonly transformType = 'standard-scaler';

  constructor(options?: Partial<StandardScalerOptions>) {
    super({ withMean: true, withStd: true }, options);
  }

  /** Restores a scaler saved with `toState()`. */
  static fromState(state: TransformState): StandardScaler {
    checkStateType(state, 'standard-scaler');
    const scaler = new StandardScaler(state.params as Partial<StandardScalerOptions>);
    const n = state.nFeatures;
    const mean = stateTensor(state, 'mean', [n]);
    const variance = stateTensor(state, 'variance', [n]);
    return scaler.restore(n, { mean, variance, scale: scaleOf(variance) });
  }

  /** Per-feature mean seen in `fit`. */
  get mean(): Float32Array {
    return this.state.mean;
  }

  /** Per-feature population variance seen in `fit`. */
  get variance(): Float32Array {
    return this.state.variance;
  }

  /** Per-feature divisor: the standard deviation, or 1 for a constant feature. */
  get scale(): Float32Array {
    return this.state.scale;
  }

  protected validateParams({ withMean, withStd }: StandardScalerOptions): void {
    if (typeof withMean !== 'boolean' || typeof withStd !== 'boolean') {
      throw new ValueError(
        `StandardScaler withMean and withStd must be booleans, got ${String(withMean)} and ${String(withStd)}`,
      );
    }
  }

  protected fitMatrix({ data, rows, cols }: FeatureMatrix): StandardState {
    if (rows < 1) throw new ValueError('StandardScaler.fit needs at least one sample, got 0 rows');
    const sum = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) sum[j] += data[base + j];
    }
    const mean = new Float64Array(cols);
    for (let j = 0; j < cols; j++) mean[j] = sum[j] / rows;
    // Second pass on centred values: no cancellation, unlike E[x^2] - E[x]^2.
    const squares = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        const d = data[base + j] - mean[j];
        squares[j] += d * d;
      }
    }
    const variance = new Float32Array(cols);
    for (let j = 0; j < cols; j++) variance[j] = squares[j] / rows;
    return { mean: Float32Array.from(mean), variance, scale: scaleOf(variance) };
  }

  protected transformMatrix({ data, rows, cols }: FeatureMatrix, state: StandardState): Tensor {
    const { withMean, withStd } = this.params;
    const shift = withMean ? state.mean : new Float32Array(cols);
    const inverseScale = new Float64Array(cols).fill(1);
    if (withStd) for (let j = 0; j < cols; j++) inverseScale[j] = 1 / state.scale[j];
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) out[base + j] = (data[base + j] - shift[j]) * inverseScale[j];
    }
    return new Tensor(out, [rows, cols]);
  }

  protected stateTensors({ mean, variance }: StandardState) {
    return {
      mean: new Tensor(mean.slice(), [mean.length]),
      variance: new Tensor(variance.slice(), [variance.length]),
    };
  }
}

function scaleOf(variance: Float32Array): Float32Array {
  return variance.map((v) => (v > 0 ? Math.sqrt(v) : 1));
}
