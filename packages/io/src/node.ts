// @typedlearn/io/node: reading CSV files and PNG/JPEG pictures from disk (Node only: node:fs,
// and pngjs, which needs Node's zlib and Buffer).
export { readCsv } from './csv/read-csv.js';
export { decodeImage, MAX_IMAGE_MEGAPIXELS } from './images/decode-image.js';
export { readImageFile } from './images/read-image-file.js';
export type { DecodedImage } from './images/decoded-image.js';
