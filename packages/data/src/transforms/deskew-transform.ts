import { ShapeError, Tensor, ValueError } from '@typedlearn/tensor';
import { deskewImage, type ImageSize } from '../images/deskew.js';
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
    const { height, width } = this.params;
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const start = i * cols;
      deskewImage(
        data.subarray(start, start + cols),
        out.subarray(start, start + cols),
        height,
        width,
      );
    }
    return new Tensor(out, [rows, cols]);
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
