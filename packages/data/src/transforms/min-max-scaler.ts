import { Tensor, ValueError } from '@typedlearn/tensor';
import type { FeatureMatrix } from './feature-matrix.js';
import { checkStateType, stateTensor } from './state.js';
import { BaseTransformer, type TransformState } from './transformer.js';

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** The range `[low, high]` each feature is mapped onto. Default `[0, 1]`. */
  featureRange: [number, number];
}

interface MinMaxState {
  dataMin: Float32Array;
  dataMax: Float32Array;
  /** x' = x * scale + shift, per feature. */
  scale: Float32Array;
  shift: Float32Array;
}

/**
 * Maps each feature linearly so that its minimum and maximum seen in `fit` become
 * `featureRange` (scikit-learn's `MinMaxScaler`). A feature that was constant in `fit` is
 * only shifted (its scale is taken as 1). Values outside the fitted range are not clipped.
 */
export class MinMaxScaler extends BaseTransformer<MinMaxScalerOptions, MinMaxState> {
  readonly transformType = 'min-max-scaler';

  constructor(options?: Partial<MinMaxScalerOptions>) {
    super({ featureRange: [0, 1] }, options);
  }

  /** Restores a scaler saved with `toState()`. */
  static fromState(state: TransformState): MinMaxScaler {
    checkStateType(state, 'min-max-scaler');
    const scaler = new MinMaxScaler(state.params as Partial<MinMaxScalerOptions>);
    const n = state.nFeatures;
    const dataMin = stateTensor(state, 'dataMin', [n]);
    const dataMax = stateTensor(state, 'dataMax', [n]);
    return scaler.restore(n, scaler.scaling(dataMin, dataMax));
  }

  /** Per-feature minimum seen in `fit`. */
  get dataMin(): Float32Array {
    return this.state.dataMin;
  }

  /** Per-feature maximum seen in `fit`. */
  get dataMax(): Float32Array {
    return this.state.dataMax;
  }

  protected validateParams({ featureRange }: MinMaxScalerOptions): void {
    if (
      !Array.isArray(featureRange) ||
      featureRange.length !== 2 ||
      !Number.isFinite(featureRange[0]) ||
      !Number.isFinite(featureRange[1]) ||
      !(featureRange[0] < featureRange[1])
    ) {
      throw new ValueError(
        `MinMaxScaler featureRange must be [low, high] with finite low < high, got ${JSON.stringify(featureRange)}`,
      );
    }
  }

  protected fitMatrix({ data, rows, cols }: FeatureMatrix): MinMaxState {
    if (rows < 1) throw new ValueError('MinMaxScaler.fit needs at least one sample, got 0 rows');
    const dataMin = data.slice(0, cols);
    const dataMax = data.slice(0, cols);
    for (let i = 1; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) {
        const v = data[base + j];
        if (v < dataMin[j]) dataMin[j] = v;
        if (v > dataMax[j]) dataMax[j] = v;
      }
    }
    return this.scaling(dataMin, dataMax);
  }

  protected transformMatrix({ data, rows, cols }: FeatureMatrix, state: MinMaxState): Tensor {
    const { scale, shift } = state;
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) out[base + j] = data[base + j] * scale[j] + shift[j];
    }
    return new Tensor(out, [rows, cols]);
  }

  protected stateTensors({ dataMin, dataMax }: MinMaxState) {
    return {
      dataMin: new Tensor(dataMin.slice(), [dataMin.length]),
      dataMax: new Tensor(dataMax.slice(), [dataMax.length]),
    };
  }

  private scaling(dataMin: Float32Array, dataMax: Float32Array): MinMaxState {
    const [low, high] = this.params.featureRange;
    const scale = new Float32Array(dataMin.length);
    const shift = new Float32Array(dataMin.length);
    for (let j = 0; j < dataMin.length; j++) {
      const range = dataMax[j] - dataMin[j];
      scale[j] = (high - low) / (range > 0 ? range : 1);
      shift[j] = low - dataMin[j] * scale[j];
    }
    return { dataMin, dataMax, scale, shift };
  }
}
