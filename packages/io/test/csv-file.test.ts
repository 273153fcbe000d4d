import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, ValueError } from '@typedlearn/tensor';
import { parseCsv } from '@typedlearn/io';
import { readCsv } from '@typedlearn/io/node';

const dir = mkdtempSync(join(tmpdir(), 'typedlearn-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` to a new file in the temporary folder and returns its path. */
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The error a promise rejects with, checking its class. */
async function rejectionOf(
  promise: Promise<unknown>,
  type: typeof FormatError | typeof ValueError,
): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  return (error as Error).message;
}

/** A spreadsheet's export: a UTF-8 BOM, CRLF line ends, quoted fields, one with a line break. */
const SPREADSHEET =
  '\ufeffsepal_length,sepal_width,species\r\n' +
  '5.1,3.5,setosa\r\n' +
  '"4.9","3.0","setosa, ""wild"""\r\n' +
  '7.0,3.2,"versi\r\ncolor"\r\n' +
  '6.3,3.3,virginica\r\n' +
  '\r\n';

describe('readCsv', () => {
  it('reads a file as parseCsv reads its text', async () => {
    const path = file('iris.csv', SPREADSHEET);
    const { X, y, featureNames, labelName } = await readCsv(path, { label: 'species' });
    expect(X.shape).toEqual([4, 2]);
    expect(X.data).toEqual(Float32Array.from([5.1, 3.5, 4.9, 3.0, 7.0, 3.2, 6.3, 3.3]));
    expect(y).toEqual(['setosa', 'setosa, "wild"', 'versi\r\ncolor', 'virginica']);
    expect(featureNames).toEqual(['sepal_length', 'sepal_width']);
    expect(labelName).toBe('species');
    const fromText = parseCsv(SPREADSHEET, { label: 'species' });
    expect(X.data).toEqual(fromText.X.data);
    expect(y).toEqual(fromText.y);
  });

  it('takes the same options: label by index, number labels, no header, semicolons', async () => {
    const path = file('numbers.csv', '1;0.5;2\n3;1.5;0\n');
    const { X, y, featureNames, labelName } = await readCsv(path, {
      header: false,
      delimiter: ';',
      label: 2,
      labelType: 'number',
    });
    expect(X.data).toEqual(Float32Array.from([1, 0.5, 3, 1.5]));
    expect(y).toEqual([2, 0]);
    expect(featureNames).toEqual(['column 0', 'column 1']);
    expect(labelName).toBe('column 2');
  });

  it('reads a UTF-16 file that starts with its byte order mark', async () => {
    const text = '\ufeffx,label\n1.5,é\n2.5,ü\n';
    const path = file('utf16.csv', Buffer.from(text, 'utf16le'));
    const { X, y, featureNames } = await readCsv(path, { label: 'label' });
    expect(X.data).toEqual(Float32Array.from([1.5, 2.5]));
    expect(y).toEqual(['é', 'ü']);
    expect(featureNames).toEqual(['x']);
  });

  it('puts the path in front of what is wrong in the file, naming the same lines as parseCsv', async () => {
    const ragged = file('ragged.csv', 'a,b,label\r\n1,"2\r\n",x\r\n3,4\r\n');
    expect(await rejectionOf(readCsv(ragged, { label: 'label' }), FormatError)).toBe(
      `${ragged}: CSV line 4 has 2 fields, expected 3 like the header (line 1): look for a ` +
        'missing or extra delimiter (","), or a field that holds the delimiter without quotes around it',
    );
    const text = 'a,b\n1,2\n3,abc\n';
    const bad = file('bad-cell.csv', text);
    const message = await rejectionOf(readCsv(bad), ValueError);
    expect(message).toBe(
      `${bad}: CSV line 3, column "b": "abc" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3`,
    );
    expect(() => parseCsv(text)).toThrow(message.slice(bad.length + 2));
    const empty = file('empty.csv', '');
    expect(await rejectionOf(readCsv(empty), FormatError)).toBe(
      `${empty}: the CSV is empty: expected a header line with the column names, then at least one row`,
    );
  });

  it('refuses a missing file or a folder, naming the path', async () => {
    const missing = join(dir, 'no-such-file.csv');
    expect(await rejectionOf(readCsv(missing), FormatError)).toBe(
      `cannot read CSV file ${missing}: no such file`,
    );
    expect(await rejectionOf(readCsv(dir), FormatError)).toMatch(
      new RegExp(
        `^cannot read CSV file ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it is a folder, not a file$`,
      ),
    );
  });

  it('checks the options before reading the file', async () => {
    expect(
      await rejectionOf(
        readCsv(join(dir, 'no-such-file.csv'), { lable: 'y' } as never),
        ValueError,
      ),
    ).toBe('unknown CSV option "lable": expected "label", "labelType", "header", "delimiter"');
  });
});
