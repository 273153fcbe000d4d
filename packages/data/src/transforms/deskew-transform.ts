import {
  allocateShared,
  isShared,
  ShapeError,
  sharedCopy,
  Tensor,
  ValueError,
  type WorkerPool,
} from '@typedlearn/tensor';
import { DESKEW_ROWS, type DeskewRowsInput } from '../images/deskew-rows-task.js';
import { deskewRows, type ImageSize } from '../images/deskew.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { checkStateType } from './state.js';
import { BaseTransformer, type TransformState } from './transformer.js';

/**
 * {@link deskewImage} as a pipeline step: each row of X is one `height` x `width` image
 * (default 28 x 28). It learns nothing; `fit` only checks the row length.
 */
export class Deskew extends BaseTransformer<ImageSize, null> {
  readonly transformType = 'deskew';

  constructor(options?: Partial<ImageSize>) {
    super({ height: 28, width: 28 }, options);
  }

  /** Restores a Deskew saved with `toState()`. */
  static fromState(state: TransformState): Deskew {
    checkStateType(state, 'deskew');
    const step = new Deskew(state.params as Partial<ImageSize>);
    step.checkRowLength(state.nFeatures);
    return step.restore(state.nFeatures, null);
  }

  protected validateParams({ height, width }: ImageSize): void {
    if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
      throw new ValueError(
        `Deskew height and width must be positive integers, got ${height} x ${width}`,
      );
    }
  }

  protected fitMatrix({ cols }: FeatureMatrix): null {
    this.checkRowLength(cols);
    return null;
  }

  protected transformMatrix({ data, rows, cols }: FeatureMatrix): Tensor {
    const out = new Float32Array(rows * cols);
    deskewRows(data, out, 0, rows, this.params);
    return new Tensor(out, [rows, cols]);
  }

  /** {@link transformMatrix} with one contiguous share of the images per thread of `pool`. */
  protected override async transformMatrixOn(
    { data, rows, cols }: FeatureMatrix,
    _state: null,
    pool: WorkerPool,
  ): Promise<Tensor> {
    if (pool.threads === 1) return this.transformMatrix({ data, rows, cols });
    const source = isShared(data) ? data : sharedCopy(data);
    const target = allocateShared('float32', rows * cols);
    const inputs: DeskewRowsInput[] = [];
    for (let t = 0; t < pool.threads; t++) {
      const first = Math.floor((t * rows) / pool.threads);
      const end = Math.floor(((t + 1) * rows) / pool.threads);
      inputs.push({ source, target, first, end, size: { ...this.params } });
    }
    await pool.map(DESKEW_ROWS, inputs);
    return new Tensor(target, [rows, cols]);
  }

  protected stateTensors() {
    return {};
  }

  private checkRowLength(cols: number): void {
    const { height, width } = this.params;
    if (cols !== height * width) {
      throw new ShapeError(
        `Deskew expects rows of ${height} x ${width} = ${height * width} pixels, got ${cols} features`,
      );
    }
  }
}
