import { Tensor, type DType } from '@typedlearn/tensor';
import { BaseClassifier, checkNumber, type Fitted, type ModelState } from '../../src/index.js';

interface NearestCentroidParams {
  /** Added to every centroid coordinate; exists only so tests have a hyper-parameter to check. */
  shift: number;
}

/** A minimal classifier for testing the shared contract: predicts the class of the closest mean. */
export class NearestCentroid extends BaseClassifier<NearestCentroidParams, { centroids: Tensor }> {
  readonly modelType = 'nearest-centroid';

  constructor(options?: Partial<NearestCentroidParams>) {
    super('NearestCentroid', { shift: 0 }, options);
  }

  static fromState(state: ModelState): NearestCentroid {
    const model = new NearestCentroid(state.params as Partial<NearestCentroidParams>);
    return model.restore(Int32Array.from(state.classes), state.nFeatures, {
      centroids: state.tensors.centroids as Tensor,
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
