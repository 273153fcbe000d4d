// @typedlearn/data: everything here is pure TypeScript (no Node APIs) and runs in browsers.
// Reading files (readIdx with gzip, loadIdxDataset, loadMnist) is in '@typedlearn/data/node'.
export { NotFittedError } from '@typedlearn/tensor';
export {
  parseIdx,
  writeIdx,
  isGzip,
  type IdxType,
  type IdxArrayFor,
  type IdxData,
} from './idx-format.js';
export {
  imageSetFromIdx,
  featureRows,
  flattenImages,
  toFloat01,
  type ImageSet,
  type TrainTestImages,
} from './image-set.js';
export { fromMnistPackage, type MnistPackage, type MnistPackageDigit } from './mnist-package.js';

export type { Transformer, TransformState } from './transforms/transformer.js';
export { BaseTransformer } from './transforms/transformer.js';
export { type FeatureMatrix } from './transforms/feature-matrix.js';
export { MinMaxScaler, type MinMaxScalerOptions } from './transforms/min-max-scaler.js';
export { StandardScaler, type StandardScalerOptions } from './transforms/standard-scaler.js';
export { PCA, type PCAOptions } from './transforms/pca.js';
export { Deskew } from './transforms/deskew-transform.js';
export { transformFromState } from './transforms/registry.js';
export {
  Pipeline,
  type PipelineEstimator,
  type PipelineInput,
  type PipelineLabel,
  type FitOptionsOf,
} from './pipeline.js';
export { checkFeatureNames, checkedFeatureNames, isTable, type Table } from './table.js';
export { oneHot } from './one-hot.js';

export { deskew, deskewImage, type ImageSize } from './images/deskew.js';
export { toGrayscale, type RasterImage } from './images/grayscale.js';
export { resizeArea, type PixelBox } from './images/area-resize.js';
export { prepareDigitImage, type PrepareDigitOptions } from './images/prepare-digit-image.js';

export { type Split } from './splits/split.js';
export { trainTestSplit, type TrainTestSplitOptions } from './splits/train-test-split.js';
export { KFold, type KFoldOptions } from './splits/k-fold.js';
export { StratifiedKFold } from './splits/stratified-k-fold.js';
export { takeRows, takeLabels } from './splits/take.js';
