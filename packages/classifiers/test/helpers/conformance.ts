// The classifier conformance suite (as scikit-learn's check_estimator): one set of contract
// checks that every classifier must pass. A model's test file calls `describeConformance`.
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError, Tensor, ValueError } from '@typedlearn/tensor';
import {
  NotFittedError,
  decodeModel,
  encodeModel,
  type Classifier,
  type FitOptions,
  type ModelState,
} from '../../src/index.js';

export interface ConformanceSpec {
  /** The model type its states carry. */
  modelType: string;
  /** A new unfitted model (with hyper-parameters small enough for a quick fit). */
  create: (options?: Record<string, unknown>) => Classifier;
  /** Rebuilds a model from `toState()`. */
  fromState: (state: ModelState) => Classifier;
  /** Extra fit options, e.g. a seed. */
  fitOptions?: FitOptions;
  /** Whether the model claims `predictProba`. */
  hasProba: boolean;
  /** Minimum training accuracy on well-separated blobs. Default 0.95. */
  minAccuracy?: number;
}

/** Three well-separated blobs in 6 dimensions with labels 2, 5 and 9 (not 0..k-1 on purpose). */
export function blobs(perClass = 20): { X: Tensor; y: Int32Array } {
  const labels = [2, 5, 9];
  const cols = 6;
  const rows = perClass * labels.length;
  const data = new Float32Array(rows * cols);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = i % labels.length;
    y[i] = labels[k];
    for (let j = 0; j < cols; j++) {
      const centre = j % labels.length === k ? 1 : 0;
      const noise = 0.15 * Math.sin(12.9898 * i + 78.233 * j) * Math.cos(3.1 * i * j + 1);
      data[i * cols + j] = centre + noise;
    }
  }
  return { X: new Tensor(data, [rows, cols]), y };
}

/** Every tensor of a model's state, as nested arrays (for exact comparison). */
function tensorsOf(model: Classifier): Record<string, unknown> {
  const { tensors } = model.toState();
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.toArray()]));
}

export function describeConformance(name: string, spec: ConformanceSpec): void {
  describe(`${name} conforms to the classifier contract`, () => {
    const { X, y } = blobs();
    const fit = (model: Classifier) => model.fit(X, y, spec.fitOptions);

    it('throws NotFittedError before fit', () => {
      const model = spec.create();
      expect(model.isFitted).toBe(false);
      expect(() => model.predict(X)).toThrow(NotFittedError);
      expect(() => model.classes).toThrow(NotFittedError);
      expect(() => model.toState()).toThrow(NotFittedError);
    });

    it('refuses unknown hyper-parameters and fit options by name', async () => {
      expect(() => spec.create({ noSuchOption: 1 })).toThrow(/noSuchOption/);
      await expect(spec.create().fit(X, y, { noSuchOption: 1 } as FitOptions)).rejects.toThrow(
        /noSuchOption/,
      );
    });

    it('fit returns the model, learns the classes and separates blobs', async () => {
      const model = spec.create();
      await expect(fit(model)).resolves.toBe(model);
      expect(Array.from(model.classes)).toEqual([2, 5, 9]);
      expect(model.nFeatures).toBe(6);
      const predicted = model.predict(X);
      expect(predicted).toBeInstanceOf(Int32Array);
      expect(predicted.length).toBe(X.shape[0]);
      expect(model.score(X, y)).toBeGreaterThanOrEqual(spec.minAccuracy ?? 0.95);
    });

    it('validates shapes, labels and values clearly', async () => {
      const model = spec.create();
      await expect(model.fit(X, y.subarray(1), spec.fitOptions)).rejects.toThrow(ShapeError);
      await expect(model.fit(X.reshape([-1]), y, spec.fitOptions)).rejects.toThrow(/2-D/);
      const withNaN = X.clone();
      withNaN.set(NaN, 3, 2);
      await expect(model.fit(withNaN, y, spec.fitOptions)).rejects.toThrow(/row 3, column 2/);
      await expect(
        model.fit(
          X,
          Float64Array.from(y, (v) => v + 0.5),
          spec.fitOptions,
        ),
      ).rejects.toThrow(ValueError);
      await expect(model.fit(X, new Int32Array(y.length).fill(1), spec.fitOptions)).rejects.toThrow(
        /2 classes/,
      );
      await fit(model);
      expect(() => model.predict(Tensor.zeros([2, 5]))).toThrow(/fitted on 6/);
      expect(() => model.predict(withNaN)).toThrow(ValueError);
    });

    it('gives the same model for the same seed', async () => {
      const a = await fit(spec.create());
      const b = await fit(spec.create());
      const ta = a.toState().tensors;
      const tb = b.toState().tensors;
      expect(Object.keys(tb)).toEqual(Object.keys(ta));
      for (const key of Object.keys(ta)) expect(tb[key].toArray()).toEqual(ta[key].toArray());
    });

    it('round-trips through toState/fromState with identical predictions', async () => {
      const model = await fit(spec.create());
      const restored = spec.fromState(model.toState());
      expect(restored.isFitted).toBe(true);
      expect(Array.from(restored.predict(X))).toEqual(Array.from(model.predict(X)));
      if (spec.hasProba) {
        expect(restored.predictProba!(X).toArray()).toEqual(model.predictProba!(X).toArray());
      }
    });

    it('clones: getParams, withParams and clone make new unfitted estimators', async () => {
      const model = await fit(spec.create());
      const params = model.getParams() as Record<string, unknown>;
      expect(params).toEqual(model.params);
      params.noSuchOption = 1;
      expect(model.params).not.toHaveProperty('noSuchOption');
      for (const copy of [model.clone(), model.withParams({})]) {
        expect(copy).not.toBe(model);
        expect(copy.constructor).toBe(model.constructor);
        expect(copy.isFitted).toBe(false);
        expect(copy.getParams()).toEqual(model.getParams());
      }
      expect(() => model.withParams({ noSuchOption: 1 })).toThrow(/noSuchOption/);
      const refitted = await fit(model.clone());
      expect(Array.from(refitted.predict(X))).toEqual(Array.from(model.predict(X)));
      expect(model.isFitted).toBe(true);
    });

    it('takes the rows as number[][] and as a flat Float64Array with its shape', async () => {
      const model = await fit(spec.create());
      const rows = X.toArray() as number[][];
      const expected = Array.from(model.predict(X));
      expect(Array.from(model.predict(rows))).toEqual(expected);
      const flat = { data: Float64Array.from(X.data), shape: [X.shape[0], X.shape[1]] as const };
      expect(Array.from(model.predict(flat))).toEqual(expected);
      const fromRows = await spec.create().fit(rows, Array.from(y), spec.fitOptions);
      expect(Array.from(fromRows.predict(X))).toEqual(expected);
      expect(() => model.predict(rows[0] as never)).toThrow(/pass it as a list of one row/);
    });

    it('gives the same model, bit for bit, with sampleWeight all 1 as without', async () => {
      const plain = await fit(spec.create());
      const ones = await spec
        .create()
        .fit(X, y, { ...spec.fitOptions, sampleWeight: new Array<number>(y.length).fill(1) });
      expect(tensorsOf(ones)).toEqual(tensorsOf(plain));
    });

    it('gives the same model with sampleWeight on 1 and 2 threads', async () => {
      const sampleWeight = Array.from(y, (_, i) => [0, 0.5, 1, 2, 3][i % 5]);
      const options = { ...spec.fitOptions, sampleWeight };
      const one = await spec.create().fit(X, y, { ...options, threads: 1 });
      const two = await spec.create().fit(X, y, { ...options, threads: 2 });
      expect(tensorsOf(two)).toEqual(tensorsOf(one));
    });

    if ('classWeight' in spec.create().params) {
      it("has classWeight: 'balanced' on balanced classes changes no bit; others refused", async () => {
        const plain = await fit(spec.create());
        // blobs() has 20 samples of each class: 'balanced' weighs each 60 / (3 * 20) = 1.
        const balanced = await fit(spec.create({ classWeight: 'balanced' }));
        expect(balanced.params.classWeight).toBe('balanced');
        expect(tensorsOf(balanced)).toEqual(tensorsOf(plain));
        expect(() => spec.create({ classWeight: 'auto' })).toThrow(/classWeight/);
      });
    }

    it('learns string labels and predicts them, also after a model file', async () => {
      const names = new Map([
        [2, 'two'],
        [5, 'five'],
        [9, 'nine'],
      ]);
      const words = Array.from(y, (label) => names.get(label)!);
      const model = await spec.create().fit(X, words, spec.fitOptions);
      expect(Array.from(model.classes)).toEqual(['five', 'nine', 'two']);
      const predicted = Array.from(model.predict(X));
      expect(new Set(predicted)).toEqual(new Set(['two', 'five', 'nine']));
      expect(model.score(X, words)).toBeGreaterThanOrEqual(spec.minAccuracy ?? 0.95);
      const file = decodeModel(encodeModel(model.toState(), []));
      const restored = spec.fromState(file.model);
      expect(Array.from(restored.classes)).toEqual(['five', 'nine', 'two']);
      expect(Array.from(restored.predict(X))).toEqual(predicted);
      expect(() => model.score(X, y)).toThrow(/labels of one type/);
    });

    it('remembers the column names of a table and checks them when it predicts on one', async () => {
      const names = X.shape[1] === 6 ? ['a', 'b', 'c', 'd', 'e', 'f'] : [];
      const table = { X, featureNames: names };
      const model = await spec.create().fit(table, y, spec.fitOptions);
      expect(model.featureNames).toEqual(names);
      const expected = Array.from(model.predict(X));
      expect(Array.from(model.predict(table))).toEqual(expected);
      expect(() => model.predict({ X, featureNames: ['b', 'a', 'c', 'd', 'e', 'f'] })).toThrow(
        /not the ones the model was fitted on \(the same names in another order\)/,
      );
      expect(() => model.predict({ X, featureNames: ['a', 'b', 'c', 'd', 'e', 'g'] })).toThrow(
        /missing \["f"\], unexpected \["g"\]/,
      );
      await expect(spec.create().fit({ X, featureNames: ['a'] }, y)).rejects.toThrow(
        /featureNames must be 6 distinct strings/,
      );
      const restored = spec.fromState(decodeModel(encodeModel(model.toState(), [])).model);
      expect(restored.featureNames).toEqual(names);
      expect(Array.from(restored.predict(table))).toEqual(expected);
      expect((await fit(spec.create())).featureNames).toBeUndefined();
    });

    it('gives the same model on 1 and 2 threads', async () => {
      const one = await spec.create().fit(X, y, { ...spec.fitOptions, threads: 1 });
      const two = await spec.create().fit(X, y, { ...spec.fitOptions, threads: 2 });
      const [t1, t2] = [one.toState().tensors, two.toState().tensors];
      expect(Object.keys(t2)).toEqual(Object.keys(t1));
      for (const key of Object.keys(t1)) expect(t2[key].toArray()).toEqual(t1[key].toArray());
    });

    it('fromState refuses the state of another model type, and damaged tensors', async () => {
      const state = (await fit(spec.create())).toState();
      expect(() => spec.fromState({ ...state, modelType: 'not-this-one' })).toThrow(
        new RegExp(`fromState needs modelType '${spec.modelType}', got 'not-this-one'`),
      );
      const [name] = Object.keys(state.tensors);
      const missing = { ...state, tensors: { ...state.tensors } };
      delete missing.tensors[name];
      expect(() => spec.fromState(missing)).toThrow(FormatError);
      expect(() => spec.fromState(missing)).toThrow(new RegExp(`'${name}'`));
      const reshaped = { ...state, tensors: { ...state.tensors } };
      reshaped.tensors[name] = state.tensors[name].reshape([1, -1]).reshape([1, 1, -1]);
      expect(() => spec.fromState(reshaped)).toThrow(ShapeError);
    });

    it('stops when the signal is aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop now'));
      const model = spec.create();
      await expect(
        model.fit(X, y, { ...spec.fitOptions, signal: controller.signal }),
      ).rejects.toThrow('stop now');
      expect(model.isFitted).toBe(false);
    });

    if (spec.hasProba) {
      it('predictProba rows are distributions whose argmax is predict', async () => {
        const model = await fit(spec.create());
        const proba = model.predictProba!(X);
        expect(proba.shape).toEqual([X.shape[0], 3]);
        const predicted = model.predict(X);
        for (let i = 0; i < X.shape[0]; i++) {
          let sum = 0;
          let best = 0;
          for (let k = 0; k < 3; k++) {
            const p = proba.get(i, k);
            expect(p).toBeGreaterThanOrEqual(0);
            sum += p;
            if (p > proba.get(i, best)) best = k;
          }
          expect(sum).toBeCloseTo(1, 5);
          expect(model.classes[best]).toBe(predicted[i]);
        }
      });
    }
  });
}
