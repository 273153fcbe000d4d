import { FormatError, Tensor, ValueError } from '@typedlearn/tensor';
import { cellNumber, notANumber } from './csv-number.js';
import type { CsvDataset, ResolvedCsvOptions } from './csv-options.js';
import { isBlank, splitCsvRecords, type CsvParse } from './csv-records.js';

/**
 * Reads CSV text or bytes into a feature matrix and labels, with `parse` (csv-parse's browser
 * or Node build) splitting the records. Malformed files are {@link FormatError}s and bad cells
 * {@link ValueError}s, naming the 1-based line of the file and the column.
 */
export function csvDataset(
  parse: CsvParse,
  input: string | Uint8Array,
  options: ResolvedCsvOptions,
): CsvDataset {
  const { header, label, delimiter } = options;
  const { records, lines } = splitCsvRecords(parse, input, delimiter);
  if (records.length === 0) {
    throw new FormatError(
      `the CSV is empty: expected ${header ? 'a header line with the column names, then ' : ''}at least one row`,
    );
  }
  if (isBlank(records[0]) && records.length > 1) {
    throw new FormatError(
      `CSV line ${lines[0]} is blank: expected the ${header ? 'header' : 'first row'} on it ` +
        '(only blank lines at the end of the file are ignored)',
    );
  }
  const width = records[0].length;
  const names = header
    ? headerNames(records[0], lines[0])
    : Array.from({ length: width }, (_, j) => `column ${j}`);
  const first = header ? 1 : 0;
  const rows = records.length - first;
  if (rows === 0) {
    throw new FormatError(
      `the CSV has a header (line ${lines[0]}) but no rows: expected at least one row of data after it`,
    );
  }
  const labelColumn = label === undefined ? -1 : labelColumnOf(label, names);
  const features = names.map((_, j) => j).filter((j) => j !== labelColumn);
  if (features.length === 0) {
    throw new FormatError(
      `the CSV has no feature column: its only column is the label ${JSON.stringify(names[labelColumn])}, ` +
        'expected at least one more',
    );
  }
  const columns = names.map((name, j) =>
    header ? `column ${JSON.stringify(name)}` : `column ${j} (counting from 0)`,
  );
  const reference = header ? `the header (line ${lines[0]})` : `the first row (line ${lines[0]})`;

  const nFeatures = features.length;
  const X = new Float32Array(rows * nFeatures);
  for (let i = 0; i < rows; i++) {
    const record = records[first + i];
    const line = lines[first + i];
    if (record.length !== width) throw raggedRow(record, line, width, reference, delimiter);
    for (let f = 0; f < nFeatures; f++) {
      const cell = record[features[f]];
      const value = Math.fround(cellNumber(cell));
      if (!Number.isFinite(value)) {
        throw new ValueError(
          `CSV line ${line}, ${columns[features[f]]}: ${notANumber(cell, true)}${delimiterHint(cell, width, delimiter)}`,
        );
      }
      X[i * nFeatures + f] = value;
    }
  }
  const dataset: CsvDataset = {
    X: new Tensor(X, [rows, nFeatures]),
    y: undefined,
    featureNames: features.map((j) => names[j]),
  };
  if (labelColumn >= 0) {
    const cells = records.slice(first).map((record) => record[labelColumn]);
    const where = (i: number) => `CSV line ${lines[first + i]}, label ${columns[labelColumn]}`;
    dataset.y =
      options.labelType === 'number' ? numberLabels(cells, where) : stringLabels(cells, where);
    dataset.labelName = names[labelColumn];
  }
  return dataset;
}

/** The header's names, each non-empty and unique. */
function headerNames(record: readonly string[], line: number): string[] {
  const seen = new Map<string, number>();
  for (let j = 0; j < record.length; j++) {
    const name = record[j];
    if (name.trim() === '') {
      throw new FormatError(
        `CSV header (line ${line}): column ${j} (counting from 0) has no name: ` +
          'expected a name for every column (or header: false for a file without a header)',
      );
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new FormatError(
        `CSV header (line ${line}) names two columns ${JSON.stringify(name)} (columns ${before} ` +
          `and ${j}, counting from 0): expected unique column names`,
      );
    }
    seen.set(name, j);
  }
  return [...record];
}

/** The index of the label column named by `label` (a name or a 0-based index). */
function labelColumnOf(label: string | number, names: readonly string[]): number {
  if (typeof label === 'number') {
    if (label < names.length) return label;
    throw new ValueError(
      `label column index ${label} is out of range: the CSV has ${names.length} column${names.length === 1 ? '' : 's'}, ` +
        `expected an index from 0 to ${names.length - 1} (${listColumns(names)})`,
    );
  }
  const index = names.indexOf(label);
  if (index >= 0) return index;
  throw new ValueError(
    `label column ${JSON.stringify(label)} is not in the CSV: expected one of ${listColumns(names)}`,
  );
}

const LONGEST_LISTING = 20;

/** The column names for a message: all of them, or the first ones and how many there are. */
function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, LONGEST_LISTING).map((name) => JSON.stringify(name));
  const rest = names.length - shown.length;
  return shown.join(', ') + (rest > 0 ? `, ... (${names.length} columns in all)` : '');
}

function raggedRow(
  record: readonly string[],
  line: number,
  width: number,
  reference: string,
  delimiter: string,
): FormatError {
  if (isBlank(record)) {
    return new FormatError(
      `CSV line ${line} is blank: expected ${width} fields like ${reference} ` +
        '(only blank lines at the end of the file are ignored)',
    );
  }
  const n = record.length;
  return new FormatError(
    `CSV line ${line} has ${n} field${n === 1 ? '' : 's'}, expected ${width} like ${reference}: ` +
      `look for a missing or extra delimiter (${JSON.stringify(delimiter)}), or a field that ` +
      'holds the delimiter without quotes around it',
  );
}

/**
 * A hint for a one-column file whose cells hold another common delimiter: most likely a
 * semicolon- or tab-separated file read with the default comma.
 */
function delimiterHint(cell: string, width: number, delimiter: string): string {
  if (width !== 1) return '';
  const other = [';', '\t', ','].find(
    (candidate) => candidate !== delimiter && cell.includes(candidate),
  );
  return other === undefined
    ? ''
    : ` (is the file separated by ${JSON.stringify(other)}? pass delimiter: ${JSON.stringify(other)})`;
}

function stringLabels(cells: readonly string[], where: (i: number) => string): string[] {
  cells.forEach((cell, i) => {
    if (cell.trim() === '') {
      throw new ValueError(`${where(i)}: the label is empty: expected a label in every row`);
    }
  });
  return [...cells];
}

function numberLabels(cells: readonly string[], where: (i: number) => string): number[] {
  return cells.map((cell, i) => {
    const value = cellNumber(cell);
    if (!Number.isFinite(value)) throw new ValueError(`${where(i)}: ${notANumber(cell, false)}`);
    return value;
  });
}
