// csv-parse's browser build: its Node build (csv-parse/sync) uses Node's global Buffer, which
// a browser does not have; this one brings its own, so the main entry stays browser-safe.
import { parse } from 'csv-parse/browser/esm/sync';
import { describeValue, ValueError } from '@typedlearn/tensor';
import { csvDataset } from './csv-dataset.js';
import {
  resolveCsvOptions,
  type CsvDataset,
  type CsvLabelsFor,
  type CsvOptions,
} from './csv-options.js';

/**
 * Reads CSV text into a float32 feature matrix `X` `[rows, features]` and, when `label` names a
 * column, the labels `y` (strings, or numbers with `labelType: 'number'`); the other columns are
 * the features, in file order. Parsing is csv-parse's: quoted fields (with delimiters, doubled
 * quotes and line breaks inside), a byte order mark, CRLF, LF or CR line ends. Blank lines at
 * the end are ignored.
 *
 * Feature cells must be decimal numbers (`Number` of the trimmed text: `'1e3'`, `'-0.5'`,
 * `' 2 '`); an empty cell, text, NaN, Infinity or a value beyond float32's range is a
 * {@link ValueError} naming the line, the column and the value. An empty file, a header with no
 * rows, a row with too few or too many fields, a blank, empty or repeated column name and a
 * quoting mistake are `FormatError`s; a label column that is not there is a ValueError
 * listing the columns. Lines are counted from 1 as in an editor, the header being line 1;
 * a row with line breaks inside quotes is named by the line it starts on.
 *
 * Runs in browsers. In Node, `readCsv` of `@typedlearn/io/node` reads a file with csv-parse's
 * faster Node build.
 */
export function parseCsv<O extends CsvOptions = Record<never, never>>(
  text: string,
  options?: O,
): CsvDataset<CsvLabelsFor<O>> {
  const resolved = resolveCsvOptions(options ?? {});
  if (typeof text !== 'string') {
    throw new ValueError(`parseCsv expects the CSV as a string, got ${describeValue(text)}`);
  }
  return csvDataset(parse, text, resolved) as CsvDataset<CsvLabelsFor<O>>;
}
