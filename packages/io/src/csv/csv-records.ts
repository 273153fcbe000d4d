import { FormatError } from '@typedlearn/tensor';
import type { Options } from 'csv-parse/browser/esm/sync';

/**
 * csv-parse's synchronous `parse`: its browser build (which carries its own `Buffer`) or its
 * Node build (Node's `Buffer`, about 4x faster). Both take a string or bytes.
 */
export type CsvParse = (input: string | Uint8Array, options: Options) => unknown;

/** The records of a CSV file, as strings, and the line each starts on. */
export interface CsvRecords {
  /** Each record's fields, unquoted; blank lines at the end of the file are left out. */
  records: string[][];
  /** `lines[i]` is the 1-based line of the file on which record `i` starts. */
  lines: number[];
}

/** A line break as CSV files write them: CRLF (Windows), LF (Unix) or a lone CR (old Macs). */
const LINE_BREAKS = ['\r\n', '\n', '\r'];
const LINE_BREAK = /\r\n?|\n/g;

/**
 * Splits `input` into records with csv-parse: quoted fields (with delimiters, doubled quotes
 * and line breaks inside) are unquoted, a UTF-8 or UTF-16 byte order mark is dropped, and any
 * mix of CRLF, LF and CR ends lines. Rows of any length come back (the caller checks them).
 * A quoting mistake is a {@link FormatError} naming the line and the field.
 */
export function splitCsvRecords(
  parse: CsvParse,
  input: string | Uint8Array,
  delimiter: string,
): CsvRecords {
  const records: string[][] = [];
  const lines: number[] = [];
  // csv-parse's own line count counts a CRLF inside quotes twice, so lines are counted here:
  // a record ends at a line break unless the break is inside a quoted field, where it is kept.
  let line = 1;
  const onRecord = (record: string[]): null => {
    records.push(record);
    lines.push(line);
    line += 1 + lineBreaksIn(record);
    return null; // keeps csv-parse from collecting the records a second time
  };
  try {
    parse(input, {
      bom: true,
      delimiter,
      recordDelimiter: LINE_BREAKS,
      relaxColumnCount: true,
      onRecord,
    });
  } catch (error) {
    throw quotingError(error, line);
  }
  while (records.length > 0 && isBlank(records[records.length - 1])) {
    records.pop();
    lines.pop();
  }
  return { records, lines };
}

/** Whether a record is a blank (or whitespace-only) line. */
export function isBlank(record: readonly string[]): boolean {
  return record.length === 1 && record[0].trim() === '';
}

function lineBreaksIn(record: readonly string[]): number {
  let count = 0;
  for (const field of record) {
    if (field.includes('\n') || field.includes('\r')) count += field.match(LINE_BREAK)!.length;
  }
  return count;
}

/** csv-parse's error for a quoting mistake as a FormatError; `line`: where the record starts. */
function quotingError(error: unknown, line: number): unknown {
  if (!(error instanceof Error) || !('code' in error)) return error;
  const field = 'index' in error && typeof error.index === 'number' ? error.index : undefined;
  const where =
    field === undefined ? `line ${line}` : `line ${line}, field ${field} (counting from 0)`;
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return new FormatError(
        `CSV ${where}: a quote (") inside a field that does not start with one: expected the ` +
          'whole field in quotes, with each quote inside it doubled, like "say ""hi"""',
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new FormatError(
        `CSV ${where}: text follows the quote that closes a quoted field: expected the delimiter ` +
          'or the end of the line after a closing quote, and each quote inside a quoted field doubled ("")',
      );
    case 'CSV_QUOTE_NOT_CLOSED':
      return new FormatError(
        `CSV ${where.replace('line', 'row starting on line')}: a quoted field is never closed: ` +
          'expected a closing quote (") before the end of the file',
      );
    default:
      return new FormatError(`CSV ${where}: ${error.message}`);
  }
}
