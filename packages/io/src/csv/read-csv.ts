import { parse } from 'csv-parse/sync';
import { FormatError, ValueError } from '@typedlearn/tensor';
import { readBytes } from '../read-bytes.js';
import { csvDataset } from './csv-dataset.js';
import {
  resolveCsvOptions,
  type CsvDataset,
  type CsvLabelsFor,
  type CsvOptions,
} from './csv-options.js';

/**
 * Reads the CSV file at `path` as `parseCsv` reads text: same options, same result, same
 * checks, with the path in front of every message about the file. The bytes go to csv-parse's
 * Node build, which uses Node's `Buffer` and is faster than the browser build parseCsv uses;
 * UTF-8 files are read, and UTF-16 ones that start with a byte order mark. A file that cannot be read
 * (missing, a folder, no permission) is a {@link FormatError} naming the path. Node only.
 */
export async function readCsv<O extends CsvOptions = Record<never, never>>(
  path: string,
  options?: O,
): Promise<CsvDataset<CsvLabelsFor<O>>> {
  const resolved = resolveCsvOptions(options ?? {});
  const bytes = await readBytes(path, 'CSV file');
  try {
    return csvDataset(parse, bytes, resolved) as CsvDataset<CsvLabelsFor<O>>;
  } catch (error) {
    if (error instanceof FormatError) throw new FormatError(`${path}: ${error.message}`);
    if (error instanceof ValueError) throw new ValueError(`${path}: ${error.message}`);
    throw error;
  }
}
