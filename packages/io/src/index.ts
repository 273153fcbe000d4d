// @typedlearn/io: reading the files users have. This entry is pure TypeScript (no Node APIs)
// and runs in browsers: CSV text with csv-parse's browser build. Reading files from disk and
// decoding PNG/JPEG pictures is in '@typedlearn/io/node'.
export { parseCsv } from './csv/parse-csv.js';
export type { CsvOptions, CsvDataset, CsvLabels, CsvLabelsFor } from './csv/csv-options.js';
