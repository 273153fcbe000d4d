import { describe, expect, expectTypeOf, it } from 'vitest';
import { FormatError, ValueError } from '@typedlearn/tensor';
import { parseCsv } from '@typedlearn/io';

/** The first rows of Fisher's iris data (two classes of three), as a spreadsheet exports them. */
const IRIS = `sepal_length,sepal_width,petal_length,petal_width,species
5.1,3.5,1.4,0.2,setosa
4.9,3.0,1.4,0.2,setosa
7.0,3.2,4.7,1.4,versicolor
6.4,3.2,4.5,1.5,versicolor
6.3,3.3,6.0,2.5,virginica
`;
const IRIS_FEATURES = [
  [5.1, 3.5, 1.4, 0.2],
  [4.9, 3.0, 1.4, 0.2],
  [7.0, 3.2, 4.7, 1.4],
  [6.4, 3.2, 4.5, 1.5],
  [6.3, 3.3, 6.0, 2.5],
];
const IRIS_LABELS = ['setosa', 'setosa', 'versicolor', 'versicolor', 'virginica'];
const IRIS_NAMES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** The rows as float32 values, as X must hold them. */
function float32(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flat());
}

/** The message of the error `run` throws, checking its class. */
function errorOf(run: () => unknown, type: typeof FormatError | typeof ValueError): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error('expected an error, got none');
}

describe('parseCsv: a well-formed file', () => {
  it('reads the features as float32 [rows, features], the string labels and the names', () => {
    const { X, y, featureNames, labelName } = parseCsv(IRIS, { label: 'species' });
    expect(X.dtype).toBe('float32');
    expect(X.shape).toEqual([5, 4]);
    expect(X.data).toEqual(float32(IRIS_FEATURES));
    expect(y).toEqual(IRIS_LABELS);
    expect(featureNames).toEqual(IRIS_NAMES);
    expect(labelName).toBe('species');
  });

  it('finds the label column by 0-based index as by name', () => {
    const byIndex = parseCsv(IRIS, { label: 4 });
    expect(byIndex.X.data).toEqual(float32(IRIS_FEATURES));
    expect(byIndex.y).toEqual(IRIS_LABELS);
    expect(byIndex.labelName).toBe('species');
  });

  it('takes the label from any column, keeping the other columns in file order', () => {
    const text = 'species,sepal_length,petal_width\nsetosa,5.1,0.2\nvirginica,6.3,2.5\n';
    for (const label of ['species', 0]) {
      const { X, y, featureNames } = parseCsv(text, { label });
      expect(X.data).toEqual(
        float32([
          [5.1, 0.2],
          [6.3, 2.5],
        ]),
      );
      expect(y).toEqual(['setosa', 'virginica']);
      expect(featureNames).toEqual(['sepal_length', 'petal_width']);
    }
    const middle = parseCsv('a,b,c\n1,x,3\n', { label: 'b' });
    expect(middle.X.data).toEqual(float32([[1, 3]]));
    expect(middle.featureNames).toEqual(['a', 'c']);
  });

  it('without a label, makes every column a feature and y undefined', () => {
    const result = parseCsv('a,b\n1,2\n3,4\n');
    expect(result.X.shape).toEqual([2, 2]);
    expect(result.X.data).toEqual(
      float32([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(result.y).toBeUndefined();
    expect(result.featureNames).toEqual(['a', 'b']);
    expect(result).not.toHaveProperty('labelName');
  });

  it("parses labels as numbers with labelType: 'number'", () => {
    const text = 'x,class\n0.5,0\n1.5,1\n2.5,2\n3.5, 1e1 \n';
    const { X, y } = parseCsv(text, { label: 'class', labelType: 'number' });
    expect(X.data).toEqual(float32([[0.5], [1.5], [2.5], [3.5]]));
    expect(y).toEqual([0, 1, 2, 10]);
  });

  it("keeps labels as the strings they are by default, '0' and ' a' included", () => {
    const { y } = parseCsv('x,class\n1,0\n2, a\n3,01\n', { label: 1 });
    expect(y).toEqual(['0', ' a', '01']);
  });

  it("names the columns 'column 0', 'column 1', ... with header: false", () => {
    const text = IRIS.slice(IRIS.indexOf('\n') + 1);
    const { X, y, featureNames, labelName } = parseCsv(text, { header: false, label: 4 });
    expect(X.data).toEqual(float32(IRIS_FEATURES));
    expect(y).toEqual(IRIS_LABELS);
    expect(featureNames).toEqual(['column 0', 'column 1', 'column 2', 'column 3']);
    expect(labelName).toBe('column 4');
    expect(parseCsv(text, { header: false, label: 'column 4' }).y).toEqual(IRIS_LABELS);
    const all = parseCsv('1,2\n3,4\n', { header: false });
    expect(all.X.data).toEqual(
      float32([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(all.featureNames).toEqual(['column 0', 'column 1']);
  });

  it('reads a semicolon- or tab-separated file with delimiter', () => {
    const semicolons = IRIS.replaceAll(',', ';');
    const tabs = IRIS.replaceAll(',', '\t');
    for (const [text, delimiter] of [
      [semicolons, ';'],
      [tabs, '\t'],
    ]) {
      const { X, y, featureNames } = parseCsv(text, { label: 'species', delimiter });
      expect(X.data).toEqual(float32(IRIS_FEATURES));
      expect(y).toEqual(IRIS_LABELS);
      expect(featureNames).toEqual(IRIS_NAMES);
    }
    // A comma inside a semicolon-separated field is part of the field.
    expect(parseCsv('a;b\n1;x,y\n', { label: 'b', delimiter: ';' }).y).toEqual(['x,y']);
  });

  it('reads numbers by the strict rule: Number of the trimmed decimal text', () => {
    const cells = ['1e3', '-0.5', ' 2 ', '+3', '.5', '5.', '-1.25E-2', '\t7\t', '0', '-0'];
    const { X } = parseCsv(`${cells.map((_, j) => `c${j}`).join(',')}\n${cells.join(',')}\n`);
    expect(Array.from(X.data)).toEqual([1000, -0.5, 2, 3, 0.5, 5, Math.fround(-0.0125), 7, 0, -0]);
    expect(Object.is(X.data[9], -0)).toBe(true);
  });

  it('rounds values to the nearest float32', () => {
    const { X } = parseCsv('a,b\n0.1,16777217\n');
    expect(Array.from(X.data)).toEqual([Math.fround(0.1), 16777216]);
  });
});

describe('parseCsv: what csv-parse handles', () => {
  it('unquotes fields holding commas, doubled quotes and line breaks', () => {
    const text =
      '"sepal, length","the ""width""",name\n' +
      '5.1,"3.5","Iris setosa, ""the bristly"""\n' +
      '"4.9",3.0,"two\nlines"\n' +
      '7.0,3.2,"windows\r\nbreak"\n';
    const { X, y, featureNames } = parseCsv(text, { label: 'name' });
    expect(featureNames).toEqual(['sepal, length', 'the "width"']);
    expect(X.data).toEqual(
      float32([
        [5.1, 3.5],
        [4.9, 3.0],
        [7.0, 3.2],
      ]),
    );
    expect(y).toEqual(['Iris setosa, "the bristly"', 'two\nlines', 'windows\r\nbreak']);
  });

  it('counts the lines a quoted line break spans, LF or CRLF, in later messages', () => {
    // The record on lines 2-3 and the one on lines 4-5 (a CRLF inside quotes) push "x" to line 6.
    const text = 'a,name\n1,"two\nlines"\r\n2,"crlf\r\ninside"\r\nx,last\n';
    expect(errorOf(() => parseCsv(text, { label: 'name' }), ValueError)).toBe(
      'CSV line 6, column "a": "x" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3',
    );
  });

  it('strips a UTF-8 byte order mark', () => {
    const { featureNames, X } = parseCsv(`\ufeff${IRIS}`, { label: 'species' });
    expect(featureNames[0]).toBe('sepal_length');
    expect(X.data).toEqual(float32(IRIS_FEATURES));
  });

  it('reads CRLF, lone CR and mixed line ends as LF', () => {
    const expected = parseCsv(IRIS, { label: 'species' });
    const lines = IRIS.trimEnd().split('\n');
    const variants = [
      lines.join('\r\n') + '\r\n',
      lines.join('\r'),
      lines.map((line, i) => line + (i % 2 === 0 ? '\r\n' : '\n')).join(''),
    ];
    for (const text of variants) {
      const result = parseCsv(text, { label: 'species' });
      expect(result.X.data).toEqual(expected.X.data);
      expect(result.y).toEqual(IRIS_LABELS);
      expect(result.featureNames).toEqual(IRIS_NAMES);
    }
  });

  it('ignores blank lines at the end', () => {
    for (const tail of ['\n\n\n', '\r\n\r\n', '\n   \n\t\n', '']) {
      const { X, y } = parseCsv(IRIS.trimEnd() + tail, { label: 'species' });
      expect(X.shape).toEqual([5, 4]);
      expect(y).toEqual(IRIS_LABELS);
    }
  });
});

describe('parseCsv: hostile files', () => {
  it('refuses an empty file', () => {
    for (const text of ['', '\ufeff', '\n\n', '\r\n  \r\n']) {
      expect(errorOf(() => parseCsv(text), FormatError)).toBe(
        'the CSV is empty: expected a header line with the column names, then at least one row',
      );
    }
    expect(errorOf(() => parseCsv('', { header: false }), FormatError)).toBe(
      'the CSV is empty: expected at least one row',
    );
  });

  it('refuses a header with no rows', () => {
    for (const text of ['a,b,label', 'a,b,label\n', 'a,b,label\r\n\r\n']) {
      expect(errorOf(() => parseCsv(text, { label: 'label' }), FormatError)).toBe(
        'the CSV has a header (line 1) but no rows: expected at least one row of data after it',
      );
    }
  });

  it('refuses a row with too few or too many fields, naming its line', () => {
    const short = 'a,b,label\n1,2,x\n3,4\n';
    expect(errorOf(() => parseCsv(short, { label: 'label' }), FormatError)).toBe(
      'CSV line 3 has 2 fields, expected 3 like the header (line 1): look for a missing or ' +
        'extra delimiter (","), or a field that holds the delimiter without quotes around it',
    );
    const long = 'a,b,label\n1,2,x\n3,4,y\n5,6,z,extra\n';
    expect(errorOf(() => parseCsv(long, { label: 'label' }), FormatError)).toMatch(
      /^CSV line 4 has 4 fields, expected 3 like the header \(line 1\)/,
    );
    expect(errorOf(() => parseCsv('1,2\n3\n', { header: false }), FormatError)).toMatch(
      /^CSV line 2 has 1 field, expected 2 like the first row \(line 1\)/,
    );
  });

  it('refuses a blank line in the middle or at the start', () => {
    expect(errorOf(() => parseCsv('a,b\n1,2\n\n3,4\n'), FormatError)).toBe(
      'CSV line 3 is blank: expected 2 fields like the header (line 1) ' +
        '(only blank lines at the end of the file are ignored)',
    );
    expect(errorOf(() => parseCsv('\na,b\n1,2\n'), FormatError)).toBe(
      'CSV line 1 is blank: expected the header on it (only blank lines at the end of the file are ignored)',
    );
  });

  it('refuses a feature cell that is not a number, naming the line, the column and the value', () => {
    const cases: [string, string][] = [
      ['abc', '"abc" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3'],
      ['0x10', '"0x10" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3'],
      ['1 000', '"1 000" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3'],
      [
        '',
        'the cell is empty: expected a number (missing values are not supported: fill or drop them first)',
      ],
      [
        '  ',
        'the cell is empty: expected a number (missing values are not supported: fill or drop them first)',
      ],
      ['NaN', '"NaN" is not a finite number: expected a finite decimal number'],
      ['Infinity', '"Infinity" is not a finite number: expected a finite decimal number'],
      ['-inf', '"-inf" is not a finite number: expected a finite decimal number'],
      ['1e39', '"1e39" is too large for float32: expected a magnitude of at most 3.4028235e38'],
      ['-1e999', '"-1e999" is too large for float32: expected a magnitude of at most 3.4028235e38'],
    ];
    for (const [cell, reason] of cases) {
      const text = `sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,${cell},setosa\n`;
      expect(errorOf(() => parseCsv(text, { label: 'species' }), ValueError)).toBe(
        `CSV line 3, column "sepal_width": ${reason}`,
      );
    }
  });

  it('names a headerless column by its 0-based index, and says so', () => {
    expect(errorOf(() => parseCsv('1,2,3\n4,x,6\n', { header: false }), ValueError)).toBe(
      'CSV line 2, column 1 (counting from 0): "x" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3',
    );
  });

  it('cuts a long cell short in the message', () => {
    const message = errorOf(() => parseCsv(`a\n${'z'.repeat(100)}\n`), ValueError);
    expect(message).toBe(
      `CSV line 2, column "a": "${'z'.repeat(40)}..." is not a number: expected a decimal number such as 5.1, -0.5 or 1e3`,
    );
  });

  it('suggests the delimiter when a one-column file holds semicolons or tabs', () => {
    expect(errorOf(() => parseCsv('a;b\n1.5;2\n'), ValueError)).toBe(
      'CSV line 2, column "a;b": "1.5;2" is not a number: expected a decimal number such as ' +
        '5.1, -0.5 or 1e3 (is the file separated by ";"? pass delimiter: ";")',
    );
  });

  it("refuses a label that is not a number with labelType: 'number'", () => {
    const text = IRIS;
    expect(
      errorOf(() => parseCsv(text, { label: 'species', labelType: 'number' }), ValueError),
    ).toBe(
      'CSV line 2, label column "species": "setosa" is not a number: expected a decimal number such as 5.1, -0.5 or 1e3',
    );
    expect(
      errorOf(() => parseCsv('x,y\n1,2\n2,NaN\n', { label: 'y', labelType: 'number' }), ValueError),
    ).toBe(
      'CSV line 3, label column "y": "NaN" is not a finite number: expected a finite decimal number',
    );
    // Labels are float64 numbers: 1e39 is fine there.
    expect(parseCsv('x,y\n1,1e39\n', { label: 'y', labelType: 'number' }).y).toEqual([1e39]);
  });

  it('refuses an empty label', () => {
    expect(errorOf(() => parseCsv('x,y\n1,a\n2, \n', { label: 'y' }), ValueError)).toBe(
      'CSV line 3, label column "y": the label is empty: expected a label in every row',
    );
    expect(errorOf(() => parseCsv('1,a\n2,\n', { header: false, label: 1 }), ValueError)).toBe(
      'CSV line 2, label column 1 (counting from 0): the label is empty: expected a label in every row',
    );
  });

  it('refuses a label column that does not exist, listing the columns', () => {
    expect(errorOf(() => parseCsv(IRIS, { label: 'class' }), ValueError)).toBe(
      'label column "class" is not in the CSV: expected one of "sepal_length", "sepal_width", ' +
        '"petal_length", "petal_width", "species"',
    );
    expect(errorOf(() => parseCsv(IRIS, { label: 5 }), ValueError)).toBe(
      'label column index 5 is out of range: the CSV has 5 columns, expected an index from 0 to 4 ' +
        '("sepal_length", "sepal_width", "petal_length", "petal_width", "species")',
    );
    const wide = `${Array.from({ length: 30 }, (_, j) => `f${j}`).join(',')}\n${'1,'.repeat(29)}1\n`;
    expect(errorOf(() => parseCsv(wide, { label: 'label' }), ValueError)).toMatch(
      /^label column "label" is not in the CSV: expected one of "f0", "f1", .*"f19", \.\.\. \(30 columns in all\)$/,
    );
  });

  it('refuses a file whose only column is the label', () => {
    expect(errorOf(() => parseCsv('species\nsetosa\n', { label: 0 }), FormatError)).toBe(
      'the CSV has no feature column: its only column is the label "species", expected at least one more',
    );
  });

  it('refuses repeated and empty column names', () => {
    expect(errorOf(() => parseCsv('a,b,a\n1,2,3\n'), FormatError)).toBe(
      'CSV header (line 1) names two columns "a" (columns 0 and 2, counting from 0): expected unique column names',
    );
    expect(errorOf(() => parseCsv(',a,b\n0,1,2\n'), FormatError)).toBe(
      'CSV header (line 1): column 0 (counting from 0) has no name: expected a name for every ' +
        'column (or header: false for a file without a header)',
    );
  });

  it('refuses quoting mistakes, naming the line and the field', () => {
    expect(errorOf(() => parseCsv('a,b\n1,2\n3,"4\n5,6\n'), FormatError)).toBe(
      'CSV row starting on line 3, field 1 (counting from 0): a quoted field is never closed: ' +
        'expected a closing quote (") before the end of the file',
    );
    expect(errorOf(() => parseCsv('a,name\n1,x\n2,5" screen\n'), FormatError)).toBe(
      'CSV line 3, field 1 (counting from 0): a quote (") inside a field that does not start ' +
        'with one: expected the whole field in quotes, with each quote inside it doubled, like "say ""hi"""',
    );
    expect(errorOf(() => parseCsv('a,name\n1,"x"y\n'), FormatError)).toBe(
      'CSV line 2, field 1 (counting from 0): text follows the quote that closes a quoted field: ' +
        'expected the delimiter or the end of the line after a closing quote, and each quote ' +
        'inside a quoted field doubled ("")',
    );
  });
});

describe('parseCsv: options', () => {
  it('refuses unknown options and bad values', () => {
    const cases: [object, string][] = [
      [
        { labels: 'y' },
        'unknown CSV option "labels": expected "label", "labelType", "header", "delimiter"',
      ],
      [
        { label: -1 },
        'CSV option label must be a column name or a 0-based column index (an integer >= 0), got -1',
      ],
      [
        { label: 1.5 },
        'CSV option label must be a column name or a 0-based column index (an integer >= 0), got 1.5',
      ],
      [
        { label: 'y', labelType: 'int' },
        "CSV option labelType must be 'string' or 'number', got int",
      ],
      [
        { labelType: 'number' },
        'CSV option labelType was given without label: name the label column too, or leave labelType out',
      ],
      [{ header: 'yes' }, 'CSV option header must be true or false, got string'],
      [
        { delimiter: '' },
        'CSV option delimiter must be a non-empty string without quotes or line breaks, got ""',
      ],
      [
        { delimiter: '"' },
        'CSV option delimiter must be a non-empty string without quotes or line breaks, got "\\""',
      ],
      [
        { delimiter: '\n' },
        'CSV option delimiter must be a non-empty string without quotes or line breaks, got "\\n"',
      ],
    ];
    for (const [options, message] of cases) {
      expect(errorOf(() => parseCsv('a,y\n1,2\n', options as never), ValueError)).toBe(message);
    }
    expect(errorOf(() => parseCsv(new Uint8Array(3) as never), ValueError)).toBe(
      'parseCsv expects the CSV as a string, got Uint8Array',
    );
  });

  it('types y from the options', () => {
    const text = 'x,y\n1,2\n';
    expectTypeOf(parseCsv(text, { label: 'y' }).y).toEqualTypeOf<string[]>();
    expectTypeOf(parseCsv(text, { label: 1, labelType: 'string' }).y).toEqualTypeOf<string[]>();
    expectTypeOf(parseCsv(text, { label: 1, labelType: 'number' }).y).toEqualTypeOf<number[]>();
    expectTypeOf(parseCsv(text).y).toEqualTypeOf<undefined>();
    expectTypeOf(parseCsv(text, { header: true }).y).toEqualTypeOf<undefined>();
    const options: { label?: string; labelType?: 'string' | 'number' } = {};
    expectTypeOf(parseCsv(text, options).y).toEqualTypeOf<string[] | number[] | undefined>();
  });
});

describe('parseCsv in a browser', () => {
  it("needs no Node Buffer (csv-parse's browser build brings its own)", () => {
    const nodeBuffer = globalThis.Buffer;
    // @ts-expect-error: removed for the test, as a browser has none
    delete globalThis.Buffer;
    try {
      expect(typeof globalThis.Buffer).toBe('undefined');
      const { X, y } = parseCsv(`\ufeff${IRIS}`, { label: 'species' });
      expect(X.data).toEqual(float32(IRIS_FEATURES));
      expect(y).toEqual(IRIS_LABELS);
    } finally {
      globalThis.Buffer = nodeBuffer;
    }
  });
});
