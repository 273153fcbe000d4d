import { describe, expect, it } from 'vitest';
import { Tensor, ValueError } from '@typedlearn/tensor';
import {
  MinMaxScaler,
  NotFittedError,
  StandardScaler,
  oneHot,
  transformFromState,
  type TransformState,
} from '@typedlearn/data';

// Three samples of three features; the last feature is constant.
const X = Tensor.from([1, -2, 7, 3, 0, 7, 5, 4, 7], [3, 3]);

describe('StandardScaler', () => {
  it('centres and scales by hand-computed moments', () => {
    const scaler = new StandardScaler().fit(X);
    // Means 3, 2/3, 7; population variances 8/3, 56/9, 0 (the constant feature keeps scale 1).
    expect(Array.from(scaler.mean)).toEqual([3, 2 / 3, 7].map(Math.fround));
    expect(scaler.variance[0]).toBeCloseTo(8 / 3, 6);
    expect(scaler.variance[1]).toBeCloseTo(56 / 9, 6);
    expect(scaler.variance[2]).toBe(0);
    expect(scaler.scale[2]).toBe(1);
    const Z = scaler.transform(X);
    const s0 = Math.sqrt(8 / 3);
    const s1 = Math.sqrt(56 / 9);
    const expected = [-2 / s0, -8 / 3 / s1, 0, 0, -2 / 3 / s1, 0, 2 / s0, 10 / 3 / s1, 0];
    expected.forEach((v, i) => expect(Z.data[i]).toBeCloseTo(v, 6));
  });

  it('can skip the centring or the scaling', () => {
    const onlyScale = new StandardScaler({ withMean: false }).fit(X).transform(X);
    expect(onlyScale.get(0, 0)).toBeCloseTo(1 / Math.sqrt(8 / 3), 6);
    const onlyCentre = new StandardScaler({ withStd: false }).fit(X).transform(X);
    expect(Array.from(onlyCentre.data)).toEqual(
      [-2, -8 / 3, 0, 0, -2 / 3, 0, 2, 10 / 3, 0].map(Math.fround),
    );
  });

  it('accepts uint8 and strided input', () => {
    const pixels = new Tensor<'uint8'>(Uint8Array.from([0, 10, 255, 20]), [2, 2]);
    const scaler = new StandardScaler().fit(pixels);
    expect(Array.from(scaler.mean)).toEqual([127.5, 15]);
    const transposed = Tensor.from([1, 3, 5, -2, 0, 4, 7, 7, 7], [3, 3]).transpose();
    expect(Array.from(new StandardScaler().fit(transposed).transform(transposed).data)).toEqual(
      Array.from(new StandardScaler().fit(X).transform(X).data),
    );
  });

  it('saves and restores, and refuses misuse', () => {
    const scaler = new StandardScaler().fit(X);
    const restored = transformFromState(scaler.toState());
    expect(Array.from(restored.transform(X).data)).toEqual(Array.from(scaler.transform(X).data));
    expect(() => new StandardScaler().transform(X)).toThrow(NotFittedError);
    expect(() => new StandardScaler().toState()).toThrow(/not fitted yet: call fit\(X\)/);
    expect(() => scaler.transform(Tensor.zeros([2, 4]))).toThrow(
      /fitted on 3 features, but X has 4/,
    );
    expect(() => scaler.fit(Tensor.from([1, Number.NaN], [1, 2]))).toThrow(
      /row 0, column 1 is NaN/,
    );
    expect(() => scaler.fit(Tensor.zeros([3]))).toThrow(/must be a 2-D tensor/);
    expect(() => new StandardScaler({ withMean: 'yes' } as never)).toThrow(ValueError);
  });
});

describe('MinMaxScaler', () => {
  it('maps each feature onto [0, 1] by hand-computed ranges', () => {
    const scaler = new MinMaxScaler().fit(X);
    expect(Array.from(scaler.dataMin)).toEqual([1, -2, 7]);
    expect(Array.from(scaler.dataMax)).toEqual([5, 4, 7]);
    // Column 1 spans 6, column 0 spans 4; the constant column is only shifted to the low end.
    const expected = [0, 0, 0, 0.5, 1 / 3, 0, 1, 1, 0];
    scaler.transform(X).data.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    // Unseen values are extrapolated, not clipped.
    expect(Array.from(scaler.transform(Tensor.from([9, -8, 8], [1, 3])).data)).toEqual([2, -1, 1]);
  });

  it('maps onto another range and restores from its state', () => {
    const scaler = new MinMaxScaler({ featureRange: [-1, 1] }).fit(X);
    const expected = [-1, -1, -1, 0, -1 / 3, -1, 1, 1, -1];
    scaler.transform(X).data.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    const state = scaler.toState();
    expect(state.params).toEqual({ featureRange: [-1, 1] });
    expect(Array.from(MinMaxScaler.fromState(state).transform(X).data)).toEqual(
      Array.from(scaler.transform(X).data),
    );
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(/finite low < high/);
  });
});

describe('transform states', () => {
  it('refuses unknown types and missing or misshapen tensors', () => {
    const state = new StandardScaler().fit(X).toState();
    expect(() => transformFromState({ ...state, transformType: 'magic' })).toThrow(
      /unknown transform type 'magic': expected one of min-max-scaler, standard-scaler, pca, deskew/,
    );
    const broken: TransformState = { ...state, tensors: { mean: state.tensors.mean } };
    expect(() => transformFromState(broken)).toThrow(
      /lacks a float32 tensor 'variance' of shape \[3\]/,
    );
    const misshapen: TransformState = {
      ...state,
      tensors: { ...state.tensors, mean: Tensor.zeros([4]) },
    };
    expect(() => transformFromState(misshapen)).toThrow(
      /needs a float32 tensor 'mean' of shape \[3\], got float32 \[4\]/,
    );
    expect(() => StandardScaler.fromState(new MinMaxScaler().fit(X).toState())).toThrow(
      /expected a 'standard-scaler' transform state, got 'min-max-scaler'/,
    );
  });
});

describe('oneHot', () => {
  it('encodes labels as rows of indicators', () => {
    expect(oneHot([2, 0, 1, 2]).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(oneHot(Int32Array.from([1]), 4).toArray()).toEqual([[0, 1, 0, 0]]);
    expect(() => oneHot([0, 4], 4)).toThrow(/label 4 is out of range: expected labels in \[0, 4\)/);
    expect(() => oneHot([0, 1.5])).toThrow(/label 1 is 1.5: expected an integer >= 0/);
  });
});
