// @typedlearn/data/node: reading IDX files and MNIST from disk (Node only: node:fs, node:zlib).
// CSV files and PNG/JPEG pictures are read by @typedlearn/io.
export { readIdx, readIdxFile, type ReadIdxOptions } from './read-idx.js';
export { loadIdxDataset, loadMnist, mnistDataDirectory, IDX_DATASET_FILES } from './mnist.js';
