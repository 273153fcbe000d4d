import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectSetting, integerIn, preprocessSteps } from '../src/option-values.js';

describe('integerIn', () => {
  const size = integerIn(1);
  const threads = integerIn(1, 256);

  it('reads integers in range', () => {
    expect(size('5000')).toBe(5000);
    expect(threads('256')).toBe(256);
  });

  it.each(['0', '-3', '1.5', '1e3', 'abc', '', '12abc', '9007199254740993'])(
    'refuses %j as a size',
    (text) => {
      expect(() => size(text)).toThrow(InvalidArgumentError);
      expect(() => size(text)).toThrow('Expected an integer >= 1.');
    },
  );

  it('names the range when there is a maximum', () => {
    expect(() => threads('257')).toThrow('Expected an integer from 1 to 256.');
  });
});

describe('collectSetting', () => {
  it('reads JSON values and keeps other text as strings', () => {
    let settings = collectSetting('C=5');
    settings = collectSetting('gamma=scale', settings);
    settings = collectSetting('hiddenLayers=[128,64]', settings);
    settings = collectSetting('shrinking=false', settings);
    expect(settings).toEqual({
      C: 5,
      gamma: 'scale',
      hiddenLayers: [128, 64],
      shrinking: false,
    });
  });

  it.each(['C', 'C=', '=5', '5=5', 'a-b=1'])('refuses %j', (text) => {
    expect(() => collectSetting(text)).toThrow('Expected key=value');
  });

  it('refuses a key set twice', () => {
    expect(() => collectSetting('C=2', { C: 1 })).toThrow("'C' is set twice.");
  });
});

describe('preprocessSteps', () => {
  const parse = preprocessSteps({ deskew: false, pca: true });

  it('reads steps in order, with values where they take one', () => {
    expect(parse('deskew,pca=50')).toEqual([{ name: 'deskew' }, { name: 'pca', value: 50 }]);
    expect(parse('pca=3, deskew')).toEqual([{ name: 'pca', value: 3 }, { name: 'deskew' }]);
  });

  it.each([
    ['blur', "Unknown step 'blur': expected a list of deskew, pca=N."],
    ['pca', "'pca' needs a positive integer, as in pca=50."],
    ['pca=0', "'pca' needs a positive integer"],
    ['pca=ten', "'pca' needs a positive integer"],
    ['deskew=2', "'deskew' takes no value."],
    ['pca=5=6', "Unknown step 'pca=5=6'"],
  ])('refuses %j', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
});
