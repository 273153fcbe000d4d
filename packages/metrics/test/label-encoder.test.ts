// Labels of any one type as class indices and back, sorted as scikit-learn sorts them.
import { describe, expect, it } from 'vitest';
import { NotFittedError, ValueError } from '@typedlearn/tensor';
import { LabelEncoder, sortedClasses } from '@typedlearn/metrics';

describe('LabelEncoder', () => {
  it('encodes strings in sorted order and decodes them back', () => {
    const species = ['setosa', 'virginica', 'setosa', 'versicolor', 'virginica'];
    const encoder = new LabelEncoder<string>().fit(species);
    expect(encoder.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(encoder.transform(species))).toEqual([0, 2, 0, 1, 2]);
    expect(encoder.inverseTransform([2, 1, 0])).toEqual(['virginica', 'versicolor', 'setosa']);
    expect(Array.from(new LabelEncoder<string>().fitTransform(['b', 'a', 'B']))).toEqual([2, 1, 0]);
  });

  it('sorts numbers numerically and booleans false first', () => {
    expect(sortedClasses([10, 9, -1, 9, 2.5])).toEqual([-1, 2.5, 9, 10]);
    expect(sortedClasses([true, false, true])).toEqual([false, true]);
    expect(Array.from(new LabelEncoder<number>().fitTransform(Int32Array.of(7, 3, 7)))).toEqual([
      1, 0, 1,
    ]);
  });

  it('refuses mixed types, NaN, unseen labels and unknown indices, naming them', () => {
    expect(() => sortedClasses([1, '1'] as never)).toThrow(
      new ValueError(
        'y[1] is "1" (string), but y[0] is a number: expected labels of one type, numbers, strings or booleans',
      ),
    );
    expect(() => sortedClasses([1, NaN])).toThrow(/y\[1\] is NaN/);
    expect(() => sortedClasses([null] as never)).toThrow(/y\[0\] is null/);
    const encoder = new LabelEncoder<string>().fit(['a', 'b']);
    expect(() => encoder.transform(['a', 'c'])).toThrow(
      /labels\[1\] is "c", which was not seen in fit: expected one of "a", "b"/,
    );
    expect(() => encoder.inverseTransform([0, 2])).toThrow(
      /indices\[1\] is 2: expected a class index from 0 to 1/,
    );
    expect(() => new LabelEncoder().classes).toThrow(NotFittedError);
  });
});
