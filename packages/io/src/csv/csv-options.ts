import { ValueError, describeValue, type Tensor } from '@typedlearn/tensor';

/** Options of `parseCsv` and `readCsv`. */
export interface CsvOptions {
  /**
   * The label column: its name in the header, or its 0-based index. Default: none, so every
   * column is a feature and `y` is undefined.
   */
  label?: string | number;
  /**
   * How labels are read. Default `'string'`: the text of each label cell as it is (an empty
   * label is refused). `'number'`: each label parsed as a finite number, with the same rule as
   * the features. Needs `label`.
   */
  labelType?: 'string' | 'number';
  /**
   * Whether the first line holds the column names. Default `true`. Without a header the
   * columns are named `'column 0'`, `'column 1'`, ...
   */
  header?: boolean;
  /** The field separator, e.g. `';'` or `'\t'`. Default `','`. */
  delimiter?: string;
}

/** A table read from CSV: the feature columns as a matrix, and the label column if one was named. */
export interface CsvDataset<Y extends string[] | number[] | undefined = CsvLabels> {
  /** The feature cells, float32 `[rows, features]`, in the order of the file's columns. */
  X: Tensor;
  /** One label per row (strings, or numbers with `labelType: 'number'`), or undefined without `label`. */
  y: Y;
  /** The name of each feature column (the label column left out). */
  featureNames: string[];
  /** The name of the label column, when `label` was given. */
  labelName?: string;
}

/** What `y` can be, whatever the options. */
export type CsvLabels = string[] | number[] | undefined;

/**
 * The type of `y` that options of type `O` give: `string[]`, `number[]` or `undefined` when the
 * options are written inline, the union when they are only known as {@link CsvOptions}.
 */
// (Optional-only object types are matched with `infer`: TypeScript's weak-type check would
// refuse `{ label: 'y' }` as a `{ labelType?: 'string' }`.)
export type CsvLabelsFor<O extends CsvOptions> = O extends { label: string | number }
  ? LabelsOfType<O extends { labelType?: infer T } ? T : 'string'>
  : O extends { label?: infer L }
    ? L extends string | number
      ? CsvLabels
      : undefined
    : undefined;

type LabelsOfType<T> = [T] extends ['number']
  ? number[]
  : 'number' extends T
    ? string[] | number[]
    : string[];

/** The options with their defaults filled in. */
export interface ResolvedCsvOptions {
  label: string | number | undefined;
  labelType: 'string' | 'number';
  header: boolean;
  delimiter: string;
}

const KNOWN_OPTIONS: readonly string[] = ['label', 'labelType', 'header', 'delimiter'];

/** Checks `options` (unknown keys, types, values) and fills in the defaults. */
export function resolveCsvOptions(options: CsvOptions): ResolvedCsvOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValueError(`CSV options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      throw new ValueError(
        `unknown CSV option "${key}": expected ${KNOWN_OPTIONS.map((name) => `"${name}"`).join(', ')}`,
      );
    }
  }
  const { label, labelType = 'string', header = true, delimiter = ',' } = options;
  if (label !== undefined && typeof label !== 'string' && !isIndex(label)) {
    throw new ValueError(
      `CSV option label must be a column name or a 0-based column index (an integer >= 0), got ${String(label)}`,
    );
  }
  if (labelType !== 'string' && labelType !== 'number') {
    throw new ValueError(
      `CSV option labelType must be 'string' or 'number', got ${String(labelType)}`,
    );
  }
  if (options.labelType !== undefined && label === undefined) {
    throw new ValueError(
      'CSV option labelType was given without label: name the label column too, or leave labelType out',
    );
  }
  if (typeof header !== 'boolean') {
    throw new ValueError(`CSV option header must be true or false, got ${describeValue(header)}`);
  }
  if (typeof delimiter !== 'string' || delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw new ValueError(
      `CSV option delimiter must be a non-empty string without quotes or line breaks, got ${JSON.stringify(delimiter)}`,
    );
  }
  return { label, labelType, header, delimiter };
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
