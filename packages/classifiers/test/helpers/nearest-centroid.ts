import { Tensor, type DType } from '@typedlearn/tensor';
import {
  BaseClassifier,
  checkNumber,
  describeHyperParameters,
  readStateTensors,
  type Fitted,
  type ModelEntry,
  type ModelState,
} from '../../src/index.js';

interface NearestCentroidParams {
  /** Added to every centroid coordinate; exists only so tests have a hyper-parameter to check. */
  shift: number;
}

const DEFAULTS: NearestCentroidParams = { shift: 0 };

/** A minimal classifier for testing the shared contract: predicts the class of the closest mean. */
export class NearestCentroid extends BaseClassifier<NearestCentroidParams, { centroids: Tensor }> {
  readonly modelType = 'nearest-centroid';

  constructor(options?: Partial<NearestCentroidParams>) {
    super('NearestCentroid', { ...DEFAULTS }, options);
  }

  static fromState(state: ModelState): NearestCentroid {
    const model = new NearestCentroid(state.params as Partial<NearestCentroidParams>);
    const k = state.classes.length;
    const { centroids } = readStateTensors(state, 'NearestCentroid', 'nearest-centroid', {
      centroids: { dtype: 'float32', shape: [k, state.nFeatures], finite: true },
    });
    return model.restore(state, {
      centroids: new Tensor(centroids, [k, state.nFeatures]),
    });
  }

  protected validateParams(params: NearestCentroidParams): void {
    checkNumber('NearestCentroid', 'shift', params.shift);
  }

  protected async fitEncoded(
    X: Tensor,
    y: Int32Array,
    nClasses: number,
  ): Promise<Fitted<{ centroids: Tensor }>> {
    const [rows, cols] = X.matrixShape();
    const sums = new Float32Array(nClasses * cols);
    const counts = new Float32Array(nClasses);
    for (let i = 0; i < rows; i++) {
      counts[y[i]]++;
      for (let j = 0; j < cols; j++) sums[y[i] * cols + j] += X.data[X.offset + i * cols + j];
    }
    for (let k = 0; k < nClasses; k++) {
      for (let j = 0; j < cols; j++)
        sums[k * cols + j] = sums[k * cols + j] / counts[k] + this.params.shift;
    }
    return { state: { centroids: new Tensor(sums, [nClasses, cols]) } };
  }

  protected predictEncoded(X: Tensor): Int32Array {
    const [rows, cols] = X.matrixShape();
    const { centroids } = this.state;
    const nClasses = centroids.shape[0];
    const out = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      let best = Infinity;
      for (let k = 0; k < nClasses; k++) {
        let d = 0;
        for (let j = 0; j < cols; j++) {
          const diff = X.data[X.offset + i * cols + j] - centroids.data[k * cols + j];
          d += diff * diff;
        }
        if (d < best) {
          best = d;
          out[i] = k;
        }
      }
    }
    return out;
  }

  protected stateTensors(state: { centroids: Tensor }): Record<string, Tensor<DType>> {
    return { centroids: state.centroids };
  }
}

/** What a test registers so that `loadModel` and `createModel` know {@link NearestCentroid}. */
export const NEAREST_CENTROID_ENTRY: ModelEntry = {
  modelType: 'nearest-centroid',
  create: (params) => new NearestCentroid(params),
  fromState: (state) => NearestCentroid.fromState(state),
  parameters: describeHyperParameters(DEFAULTS, { shift: 'added to every centroid coordinate' }),
};
