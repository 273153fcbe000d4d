import { softmaxCrossEntropy } from '@typedlearn/tensor';
import { describe, expect, it } from 'vitest';
import { Adam } from '../src/optim/adam.js';
import { minimizeLbfgs, type Objective } from '../src/optim/lbfgs.js';
import { learningRateAt } from '../src/optim/learning-rate-schedule.js';
import {
  interpolateStep,
  strongWolfeLineSearch,
  type LinePoint,
} from '../src/optim/line-search.js';
import { SgdMomentum } from '../src/optim/sgd-momentum.js';
import { SparseRows } from '../src/optim/sparse-rows.js';

/** Rosenbrock's banana function, minimum 0 at (1, ..., 1). */
const rosenbrock: Objective = (x, g) => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
};

/** f(x) = 1/2 sum_i d_i (x_i - c_i)^2: minimum at c, Hessian diag(d). */
function quadratic(d: number[], c: number[]): Objective {
  return (x, g) => {
    let f = 0;
    for (let i = 0; i < x.length; i++) {
      g[i] = d[i] * (x[i] - c[i]);
      f += 0.5 * d[i] * (x[i] - c[i]) ** 2;
    }
    return f;
  };
}

describe('strong Wolfe line search', () => {
  it('interpolates the exact minimiser of a cubic', () => {
    // phi(t) = t^3 - 3t is itself a cubic, with its local minimiser at t = 1.
    const phi = (t: number): LinePoint => ({
      step: t,
      value: t ** 3 - 3 * t,
      slope: 3 * t * t - 3,
    });
    expect(interpolateStep(phi(0), phi(2))).toBeCloseTo(1, 12);
    expect(interpolateStep(phi(2), phi(0))).toBeCloseTo(1, 12);
  });

  it('returns a step satisfying both strong Wolfe conditions', async () => {
    // phi(t) = (t - 3)^2 + sin(4t): several local minima along the line.
    const phi = (t: number): LinePoint => ({
      step: t,
      value: (t - 3) ** 2 + Math.sin(4 * t),
      slope: 2 * (t - 3) + 4 * Math.cos(4 * t),
    });
    const start = phi(0);
    for (const initial of [0.01, 0.3, 1, 10]) {
      const accepted = await strongWolfeLineSearch(phi, start, initial, { c1: 1e-4, c2: 0.1 });
      expect(accepted).toBeDefined();
      const { step, value, slope } = accepted as LinePoint;
      expect(value).toBeLessThanOrEqual(start.value + 1e-4 * step * start.slope);
      expect(Math.abs(slope)).toBeLessThanOrEqual(0.1 * Math.abs(start.slope));
    }
  });
});

describe('L-BFGS', () => {
  it('minimises the Rosenbrock function to its known minimum', async () => {
    const x0 = Float64Array.from([-1.2, 1, -1.2, 1, -1.2, 1]);
    const result = await minimizeLbfgs(rosenbrock, x0, {
      maxIterations: 500,
      gradientTolerance: 1e-9,
      valueTolerance: 0,
    });
    expect(result.stopReason).toBe('gradient');
    for (const v of result.x) expect(v).toBeCloseTo(1, 7);
    expect(result.value).toBeLessThan(1e-14);
    expect(Array.from(x0)).toEqual([-1.2, 1, -1.2, 1, -1.2, 1]);
  });

  it('solves an n-dimensional quadratic in at most n iterations with exact curvature pairs', async () => {
    const d = [1, 10, 100, 1000];
    const c = [3, -2, 0.5, 7];
    const result = await minimizeLbfgs(quadratic(d, c), new Float64Array(4), {
      gradientTolerance: 1e-10,
      valueTolerance: 0,
      lineSearch: { c2: 0.9 },
    });
    expect(result.stopReason).toBe('gradient');
    result.x.forEach((v, i) => expect(v).toBeCloseTo(c[i], 8));
  });

  it('with the inverse Hessian diagonal as preconditioner, takes one step on a diagonal quadratic', async () => {
    const d = [1, 10, 100, 1000];
    const c = [3, -2, 0.5, 7];
    const result = await minimizeLbfgs(quadratic(d, c), new Float64Array(4), {
      gradientTolerance: 1e-10,
      preconditioner: Float64Array.from(d, (v) => 1 / v),
    });
    // The first direction -D g points straight at c; its unit-length first step is then
    // extended by the line search until it lands there.
    expect(result.stopReason).toBe('gradient');
    expect(result.iterations).toBeLessThanOrEqual(2);
    result.x.forEach((v, i) => expect(v).toBeCloseTo(c[i], 8));
  });

  it('stops after maxIterations and reports every iteration', async () => {
    const seen: number[] = [];
    const result = await minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), {
      maxIterations: 5,
      onIteration: ({ iteration, value }) => {
        seen.push(iteration);
        expect(Number.isFinite(value)).toBe(true);
      },
    });
    expect(result.stopReason).toBe('max-iterations');
    expect(result.iterations).toBe(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('decreases the objective monotonically', async () => {
    const values: number[] = [];
    await minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1, 0.5, 2]), {
      maxIterations: 40,
      onIteration: ({ value }) => {
        values.push(value);
      },
    });
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
  });

  it('stops at once at a stationary point and propagates errors from onIteration', async () => {
    const atMinimum = await minimizeLbfgs(quadratic([1, 2], [0, 0]), new Float64Array(2));
    expect(atMinimum).toMatchObject({ stopReason: 'gradient', iterations: 0, evaluations: 1 });
    await expect(
      minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), {
        onIteration: () => {
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
  });
});

describe('mini-batch optimisers', () => {
  it('Adam takes bias-corrected steps (Kingma & Ba, Algorithm 1)', () => {
    const w = Float32Array.from([1, -2]);
    const g = Float32Array.from([0.5, -4]);
    const adam = new Adam(w, g, { beta1: 0.9, beta2: 0.999, epsilon: 0 });
    let t = 0;
    adam.update(++t, 0.1, 0, 2);
    // t = 1: m_hat = g, v_hat = g^2, so each weight moves by lr * sign(g) (to float32 rounding
    // of the wasm-simd backend's float32 arithmetic).
    expect(w[0]).toBeCloseTo(0.9, 5);
    expect(w[1]).toBeCloseTo(-1.9, 5);
    g.set([1, 1]);
    adam.update(++t, 0.1, 0, 2);
    // t = 2, by the algorithm's formulas with plain numbers:
    const expected = (g1: number, g2: number, w1: number) => {
      const m = 0.9 * 0.1 * g1 + 0.1 * g2;
      const v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
      const mHat = m / (1 - 0.9 ** 2);
      const vHat = v / (1 - 0.999 ** 2);
      return w1 - (0.1 * mHat) / Math.sqrt(vHat);
    };
    expect(w[0]).toBeCloseTo(expected(0.5, 1, 0.9), 5);
    expect(w[1]).toBeCloseTo(expected(-4, 1, -1.9), 5);
  });

  it('SGD with classical and Nesterov momentum follows the update equations', () => {
    const w = Float32Array.from([1]);
    const g = Float32Array.from([2]);
    const sgd = new SgdMomentum(w, g, { momentum: 0.5 });
    sgd.update(1, 0.1, 0, 1); // v = -0.2, w = 0.8
    sgd.update(2, 0.1, 0, 1); // v = -0.1 - 0.2 = -0.3, w = 0.5
    expect(w[0]).toBeCloseTo(0.5, 6);
    const wn = Float32Array.from([1]);
    const nesterov = new SgdMomentum(wn, g, { momentum: 0.5, nesterov: true });
    nesterov.update(1, 0.1, 0, 1); // v = -0.2, w = 1 + 0.5 * -0.2 - 0.2 = 0.7
    expect(wn[0]).toBeCloseTo(0.7, 6);
  });

  it('updating ranges one by one equals updating everything at once', () => {
    const g = Float32Array.from({ length: 9 }, (_, i) => Math.sin(i));
    const whole = Float32Array.from({ length: 9 }, (_, i) => i / 9);
    const pieces = whole.slice();
    const a = new Adam(whole, g);
    const b = new Adam(pieces, g);
    for (let t = 1; t <= 3; t++) {
      a.update(t, 0.01, 0, 9);
      b.update(t, 0.01, 0, 4);
      b.update(t, 0.01, 4, 9);
    }
    expect(Array.from(pieces)).toEqual(Array.from(whole));
  });

  it('learning-rate schedules', () => {
    expect(learningRateAt('constant', 0.1, 7, 10, 0.5)).toBe(0.1);
    expect(learningRateAt('cosine', 0.1, 0, 10, 0.5)).toBeCloseTo(0.1, 12);
    expect(learningRateAt('cosine', 0.1, 5, 10, 0.5)).toBeCloseTo(0.05, 12);
    expect(learningRateAt('exponential', 0.1, 3, 10, 0.5)).toBeCloseTo(0.0125, 12);
  });
});

describe('softmax cross-entropy', () => {
  it('matches the definition and stays finite for huge logits', () => {
    const logits = Float64Array.from([1, 2, 3, 1000, 0, -1000]);
    const labels = Int32Array.from([2, 1]);
    const gradient = new Float64Array(6);
    const loss = softmaxCrossEntropy(logits, labels, 2, 3, 0.5, gradient);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(loss).toBeCloseTo(Math.log(z) - 3 + 1000, 10);
    expect(gradient[0]).toBeCloseTo((0.5 * Math.exp(1)) / z, 12);
    expect(gradient[2]).toBeCloseTo(0.5 * (Math.exp(3) / z - 1), 12);
    expect(Array.from(gradient.subarray(3))).toEqual([0.5, -0.5, 0]);
  });
});

describe('SparseRows', () => {
  it('keeps exactly the nonzeros, row by row', () => {
    const dense = Float32Array.from([0, 1.5, 0, 0, 0, 0, 2, 0, 3]);
    const csr = SparseRows.fromDense(dense, 3, 3);
    expect(Array.from(csr.rowStart)).toEqual([0, 1, 1, 3]);
    expect(Array.from(csr.columns)).toEqual([1, 0, 2]);
    expect(Array.from(csr.values)).toEqual([1.5, 2, 3]);
  });
});
