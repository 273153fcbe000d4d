// The matrix a function takes at the API boundary, in every form a user has it.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, Tensor, ValueError, toFloat32Matrix } from '@typedlearn/tensor';

describe('toFloat32Matrix', () => {
  const expected = [
    [1, 2, 3],
    [4, 5, 6],
  ];

  it('takes a Tensor, number[][], typed-array rows and a flat array with its shape', () => {
    const inputs = [
      Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]),
      expected,
      [Float64Array.from([1, 2, 3]), Int32Array.from([4, 5, 6])],
      { data: Float64Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] as const },
      { data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] as const },
      Tensor.from([1, 4, 2, 5, 3, 6], [3, 2]).transpose(),
      new Tensor<'uint8'>(Uint8Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
    ];
    for (const input of inputs) {
      const x = toFloat32Matrix(input);
      expect(x.dtype).toBe('float32');
      expect(x.isContiguous).toBe(true);
      expect(x.toArray()).toEqual(expected);
    }
  });

  it('does not copy float32 data that is already contiguous', () => {
    const tensor = Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(toFloat32Matrix(tensor).data).toBe(tensor.data);
    const data = Float32Array.from([1, 2, 3, 4, 5, 6]);
    expect(toFloat32Matrix({ data, shape: [3, 2] }).data).toBe(data);
  });

  it('names the row and column of a bad value, and a ragged row', () => {
    expect(() =>
      toFloat32Matrix([
        [1, 2],
        [3, NaN],
      ]),
    ).toThrow(new ValueError('X must hold finite numbers, but row 1, column 1 is NaN'));
    expect(() =>
      toFloat32Matrix(
        [
          [1, 2],
          [3, Infinity],
        ],
        'Xtest',
      ),
    ).toThrow(/^Xtest must hold finite numbers, but row 1, column 1 is Infinity$/);
    expect(() =>
      toFloat32Matrix([
        [1, 2],
        ['3', 4],
      ]),
    ).toThrow(/row 1, column 0 is "3"/);
    expect(() => toFloat32Matrix([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => toFloat32Matrix([[1, 2], [3]])).toThrow(/row 1 has 1 values, but row 0 has 2/);
    expect(() => toFloat32Matrix([[1, 2], 3])).toThrow(/row 1 is number/);
  });

  it('refuses a 1-D array and shows how to pass one row', () => {
    expect(() => toFloat32Matrix([0.5, 0.25])).toThrow(
      /must be 2-D.*pass it as a list of one row: \[\[0\.5, 0\.25\]\]/,
    );
    expect(() => toFloat32Matrix(new Float32Array(6))).toThrow(
      /flat Float32Array of 6 numbers: pass \{ data, shape: \[rows, cols\] \}/,
    );
    expect(() => toFloat32Matrix(Tensor.from([1, 2, 3], [3]))).toThrow(ShapeError);
  });

  it('checks a flat array against its shape', () => {
    const data = new Float32Array(6);
    expect(() => toFloat32Matrix({ data, shape: [4, 2] })).toThrow(
      /X\.data has 6 numbers, but shape \[4, 2\] needs 8/,
    );
    expect(() => toFloat32Matrix({ data, shape: [6] as never })).toThrow(/\[rows, cols\]/);
    expect(() => toFloat32Matrix({ data: [1, 2] as never, shape: [1, 2] })).toThrow(DTypeError);
    expect(() => toFloat32Matrix('rows')).toThrow(/got string/);
  });

  it('takes an empty list as no rows', () => {
    expect(toFloat32Matrix([]).shape).toEqual([0, 0]);
  });
});
