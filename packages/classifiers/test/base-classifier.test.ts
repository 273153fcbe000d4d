import { describe, expect, it } from 'vitest';
import { describeConformance, blobs } from './helpers/conformance.js';
import { NearestCentroid } from './helpers/nearest-centroid.js';

describeConformance('NearestCentroid (the contract itself)', {
  modelType: 'nearest-centroid',
  create: (options) => new NearestCentroid(options),
  fromState: (state) => NearestCentroid.fromState(state),
  hasProba: false,
});

describe('BaseClassifier', () => {
  it('validates hyper-parameters in the constructor', () => {
    expect(() => new NearestCentroid({ shift: NaN })).toThrow(
      /shift must be a finite number, got NaN/,
    );
  });

  it('maps class indices back to the original labels', async () => {
    const { X, y } = blobs(5);
    const model = await new NearestCentroid().fit(X, y);
    expect(Array.from(model.predict(X))).toEqual(Array.from(y));
  });

  it('refuses bad fit options', async () => {
    const { X, y } = blobs(5);
    await expect(new NearestCentroid().fit(X, y, { threads: 0 })).rejects.toThrow(
      /threads must be an integer >= 1/,
    );
    await expect(new NearestCentroid().fit(X, y, { seed: -1 })).rejects.toThrow(/seed/);
  });
});
