import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng, Tensor, setBackend } from '@typedlearn/tensor';
import { SVC, SVC_DEFAULTS, type FitProgress } from '../src/index.js';
import { blobs } from './helpers/conformance.js';

/** `perClass` points per class on k interleaved spirals arms in 2-D: overlapping, deterministic. */
function spirals(k: number, perClass: number): { X: Tensor; y: Int32Array } {
  const n = k * perClass;
  const data = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const t = (Math.floor(i / k) + 1) / perClass;
    const angle = (2 * Math.PI * c) / k + 2.5 * t + 0.35 * Math.sin(91.7 * i);
    data[2 * i] = t * Math.cos(angle);
    data[2 * i + 1] = t * Math.sin(angle);
    y[i] = 10 * c + 1;
  }
  return { X: new Tensor(data, [n, 2]), y };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SVC', () => {
  it("has scikit-learn's defaults", () => {
    expect(new SVC().params).toEqual({
      C: 1,
      kernel: 'rbf',
      gamma: 'scale',
      degree: 3,
      coef0: 0,
      tol: 1e-3,
      maxIter: -1,
      cacheBytes: 200 * 2 ** 20,
      shrinking: true,
      probability: false,
      classWeight: null,
      kernelSums: 'auto',
    });
    expect(SVC_DEFAULTS.C).toBe(1);
  });

  it('refuses bad hyper-parameters by name', () => {
    expect(() => new SVC({ C: 0 })).toThrow(/C must be a finite number > 0, got 0/);
    expect(() => new SVC({ kernel: 'sigmoid' as never })).toThrow(/kernel must be one of/);
    expect(() => new SVC({ gamma: 'fast' as never })).toThrow(
      /gamma must be one of 'scale', 'auto'/,
    );
    expect(() => new SVC({ gamma: -1 })).toThrow(/gamma must be a finite number > 0/);
    expect(() => new SVC({ degree: 2.5 })).toThrow(/degree must be an integer/);
    expect(() => new SVC({ tol: 0 })).toThrow(/tol/);
    expect(() => new SVC({ maxIter: 0 })).toThrow(
      /maxIter must be -1 \(no cap\) or an integer >= 1/,
    );
    expect(() => new SVC({ cacheBytes: 0.5 })).toThrow(/cacheBytes/);
    expect(() => new SVC({ shrinking: 1 as never })).toThrow(/shrinking must be true or false/);
    expect(() => new SVC({ kernelSums: 'float32' as never })).toThrow(
      /kernelSums must be one of 'auto', 'float64'/,
    );
  });

  it('computes gamma from the data for scale and auto', async () => {
    const { X, y } = blobs(5);
    const auto = await new SVC({ gamma: 'auto' }).fit(X, y);
    expect(auto.info.kernelGamma).toBeCloseTo(1 / 6, 12);
    const scale = await new SVC().fit(X, y);
    let sum = 0;
    for (const v of X.data) sum += v;
    const mean = sum / X.size;
    let squares = 0;
    for (const v of X.data) squares += (v - mean) ** 2;
    expect(scale.info.kernelGamma).toBeCloseTo(1 / (6 * (squares / X.size)), 10);
  });

  for (const kernel of ['rbf', 'poly', 'linear'] as const) {
    it(`separates blobs with the ${kernel} kernel`, async () => {
      const { X, y } = blobs(15);
      const svc = await new SVC({ kernel, C: 10 }).fit(X, y);
      expect(svc.score(X, y)).toBe(1);
    });
  }

  it('stores each support vector once, grouped by class, with its training index', async () => {
    const { X, y } = spirals(3, 40);
    const svc = await new SVC({ C: 5 }).fit(X, y);
    const nSV = svc.support.length;
    expect(svc.supportVectors.shape).toEqual([nSV, 2]);
    expect(Array.from(svc.nSupport).reduce((a, b) => a + b)).toBe(nSV);
    expect(new Set(svc.support).size).toBe(nSV);
    let s = 0;
    for (let c = 0; c < 3; c++) {
      for (let k = 0; k < svc.nSupport[c]; k++, s++) {
        const row = svc.support[s];
        expect(y[row]).toBe(svc.classes[c]);
        expect(svc.supportVectors.get(s, 0)).toBe(X.get(row, 0));
        if (k > 0) expect(row).toBeGreaterThan(svc.support[s - 1]);
      }
    }
    expect(svc.dualCoef.shape).toEqual([2, nSV]);
    expect(svc.intercept.length).toBe(3);
  });

  it('decisionFunction: one column per pair, positive for the first class; a vector for two classes', async () => {
    const { X, y } = spirals(4, 30);
    const svc = await new SVC({ C: 5 }).fit(X, y);
    const decision = svc.decisionFunction(X);
    expect(decision.shape).toEqual([120, 6]);
    const pairs = [
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ];
    const predicted = svc.predict(X);
    for (let i = 0; i < 120; i++) {
      const votes = [0, 0, 0, 0];
      pairs.forEach(([a, b], p) => votes[decision.get(i, p) > 0 ? a : b]++);
      // Ties go to the lower class index.
      const winner = votes.indexOf(Math.max(...votes));
      expect(predicted[i]).toBe(svc.classes[winner]);
    }

    const two = spirals(2, 30);
    const binary = await new SVC({ C: 5 }).fit(two.X, two.y);
    const values = binary.decisionFunction(two.X);
    expect(values.shape).toEqual([60]);
    const labels = binary.predict(two.X);
    expect(new Set(labels).size).toBe(2);
    for (let i = 0; i < 60; i++) {
      expect(labels[i]).toBe(values.get(i) > 0 ? binary.classes[1] : binary.classes[0]);
    }
  });

  it('predictProba needs probability: true', async () => {
    const { X, y } = blobs(5);
    const svc = await new SVC().fit(X, y);
    expect(() => svc.predictProba(X)).toThrow(/probability: true/);
  });

  it('reports one progress step per pair', async () => {
    const { X, y } = spirals(4, 10);
    const steps: FitProgress[] = [];
    await new SVC().fit(X, y, { onProgress: (p) => steps.push(p) });
    expect(steps.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(steps.every((p) => p.stage === 'pair' && p.total === 6)).toBe(true);
  });

  it('stops between pairs when aborted', async () => {
    const { X, y } = spirals(4, 10);
    const controller = new AbortController();
    const model = new SVC();
    const fit = model.fit(X, y, {
      signal: controller.signal,
      onProgress: (p) => p.step === 2 && controller.abort(new Error('enough')),
    });
    await expect(fit).rejects.toThrow('enough');
    expect(model.isFitted).toBe(false);
  });

  it('warns clearly when the iteration cap stops a solver early', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { X, y } = spirals(3, 30);
    const svc = await new SVC({ C: 100, maxIter: 3 }).fit(X, y);
    const warnings = svc.info.warnings as string[];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/iteration cap \(maxIter=3\).*3 of 3 class pair/);
    expect(warnings[0]).toMatch(/Raise maxIter/);
    expect(warn).toHaveBeenCalledWith(warnings[0]);
    const fine = await new SVC({ C: 1 }).fit(X, y);
    expect(fine.info.warnings).toEqual([]);
  });

  it('probabilities are calibrated distributions that follow the decision values', async () => {
    const { X, y } = spirals(3, 40);
    const svc = await new SVC({ C: 5, probability: true }).fit(X, y, { seed: 3 });
    const proba = svc.predictProba(X);
    const decision = svc.decisionFunction(X);
    let agree = 0;
    for (let i = 0; i < 120; i++) {
      let sum = 0;
      for (let c = 0; c < 3; c++) sum += proba.get(i, c);
      expect(sum).toBeCloseTo(1, 5);
      // Pair (0, 1): a larger decision value must not lower P(class 0) relative to P(class 1).
      if (decision.get(i, 0) > 0 === proba.get(i, 0) > proba.get(i, 1)) agree++;
    }
    expect(agree).toBeGreaterThan(110);
  });

  it('gives the identical model on 1 and 2 threads (probabilities included)', async () => {
    const { X, y } = spirals(4, 50);
    const options = { C: 5, probability: true };
    const one = await new SVC(options).fit(X, y, { threads: 1, seed: 7 });
    const two = await new SVC(options).fit(X, y, { threads: 2, seed: 7 });
    const a = one.toState();
    const b = two.toState();
    expect(Object.keys(b.tensors)).toEqual(Object.keys(a.tensors));
    for (const key of Object.keys(a.tensors)) {
      expect(b.tensors[key].toArray()).toEqual(a.tensors[key].toArray());
    }
    expect(two.predictProba(X).toArray()).toEqual(one.predictProba(X).toArray());
  });

  it.each(['js', 'wasm-simd'] as const)(
    'gives the identical model on 1 and 2 threads on %s with sparse rows',
    async (backend) => {
      // Mostly-zero rows take the sparse kernel-row path (CsrBlockDots), as MNIST's pixels do.
      const rng = new Rng(3);
      const [rows, cols] = [150, 30];
      const data = new Float32Array(rows * cols);
      const labels = new Int32Array(rows);
      for (let i = 0; i < rows; i++) {
        labels[i] = i % 3;
        for (let k = 0; k < cols; k++) {
          if (rng.uniform() < 0.2)
            data[i * cols + k] = rng.uniform() + (k % 3 === labels[i] ? 0.5 : 0);
        }
      }
      const X = new Tensor(data, [rows, cols]);
      setBackend(backend);
      try {
        const one = await new SVC({ C: 5 }).fit(X, labels, { threads: 1 });
        const two = await new SVC({ C: 5 }).fit(X, labels, { threads: 2 });
        // On 'wasm-simd' these rows pass float32KernelSums's error bound: float32 sums.
        expect(one.info.kernelSums).toBe(backend === 'js' ? 'float64' : 'float32');
        const a = one.toState();
        const b = two.toState();
        for (const key of Object.keys(a.tensors)) {
          expect(b.tensors[key].toArray()).toEqual(a.tensors[key].toArray());
        }
        expect(two.decisionFunction(X).toArray()).toEqual(one.decisionFunction(X).toArray());
        expect(one.score(X, labels)).toBeGreaterThan(0.9);
      } finally {
        setBackend('auto');
      }
    },
  );

  it('gives each row the same decision values alone or among others, float32 sums or not', async () => {
    // On 'wasm-simd' a row's kernel values are summed in float32 when its norm passes the error
    // bound, in float64 otherwise (the far row below): the choice is the row's own.
    const rng = new Rng(4);
    const [rows, cols] = [90, 20];
    const data = new Float32Array(rows * cols);
    const labels = Int32Array.from({ length: rows }, (_, i) => i % 3);
    for (let i = 0; i < rows * cols; i++) {
      if (rng.uniform() < 0.3)
        data[i] = rng.uniform() + (i % 3 === labels[Math.floor(i / cols)] ? 1 : 0);
    }
    const X = new Tensor(data, [rows, cols]);
    setBackend('wasm-simd');
    try {
      const svc = await new SVC({ C: 5 }).fit(X, labels);
      expect(svc.info.kernelSums).toBe('float32');
      // kernelSums: 'float64' keeps LIBSVM's float64 sums, in the fit and in predictions.
      const exact = await new SVC({ C: 5, kernelSums: 'float64' }).fit(X, labels);
      expect(exact.info.kernelSums).toBe('float64');
      const restored = SVC.fromState(exact.toState());
      const [a, b] = [svc.decisionFunction(X).data, restored.decisionFunction(X).data];
      let largest = 0;
      for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
      expect(largest).toBeGreaterThan(0);
      expect(largest).toBeLessThan(1e-3);
      // The same float64 model predicting with 'auto' sums in float32: other bits.
      const state = exact.toState();
      const summedInFloat32 = SVC.fromState({ ...state, params: { ...state.params, kernelSums: 'auto' } }); // prettier-ignore
      expect(summedInFloat32.decisionFunction(X).data).not.toEqual(b);
      expect(restored.decisionFunction(X).data).toEqual(exact.decisionFunction(X).data);
      const queries = new Float32Array(data.subarray(0, 6 * cols));
      for (let k = 0; k < cols; k++) queries[2 * cols + k] = 1e4 + k; // far from every row
      const batch = svc.decisionFunction(new Tensor(queries, [6, cols])).toArray() as number[][];
      for (let i = 0; i < 6; i++) {
        const alone = svc.decisionFunction(new Tensor(queries.slice(i * cols, (i + 1) * cols), [1, cols])); // prettier-ignore
        expect(alone.toArray()).toEqual([batch[i]]);
      }
    } finally {
      setBackend('auto');
    }
  });

  it('fromState refuses inconsistent states clearly', async () => {
    const { X, y } = blobs(5);
    const state = (await new SVC().fit(X, y)).toState();
    const without = { ...state, tensors: { ...state.tensors } };
    delete (without.tensors as Record<string, unknown>).dualCoef;
    expect(() => SVC.fromState(without)).toThrow(/SVC state has no 'dualCoef' tensor/);
    const badCounts = {
      ...state,
      tensors: { ...state.tensors, nSupport: new Tensor<'int32'>(Int32Array.from([1, 1, 1]), [3]) },
    };
    expect(() => SVC.fromState(badCounts)).toThrow(/nSupport sums to 3/);
    expect(() => SVC.fromState({ ...state, info: {} })).toThrow(/kernelGamma/);
    expect(() => SVC.fromState({ ...state, nFeatures: 4 })).toThrow(
      /supportVectors.*shape \[n, 4\]/,
    );
  });
});
