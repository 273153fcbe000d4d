// @typedlearn/data/node: reading IDX files, MNIST, CSV files and PNG/JPEG images from disk
// (Node only: node:fs, node:zlib, and pngjs, which needs Node's zlib and Buffer).
export { readIdx, readIdxFile, type ReadIdxOptions } from './read-idx.js';
export { loadIdxDataset, loadMnist, mnistDataDirectory, IDX_DATASET_FILES } from './mnist.js';
export { decodeImage, MAX_IMAGE_MEGAPIXELS } from './images/decode-image.js';
export { readImageFile } from './images/read-image-file.js';
export { readCsv } from './csv/read-csv.js';
