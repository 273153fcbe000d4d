import { describe, expect, it } from 'vitest';
import { Tensor } from '@typedlearn/tensor';
import { binaryDecisionValues, trainBinarySvc } from '../src/svm/binary-svc.js';
import { toFeatureRows } from '../src/svm/feature-rows.js';
import type { Kernel } from '../src/svm/kernel.js';
import type { SmoOptions } from '../src/svm/smo-solver.js';
import { SolverWorkspace } from '../src/svm/solver-workspace.js';

const linear: Kernel = { name: 'linear', gamma: 1, degree: 3, coef0: 0 };
const rbf: Kernel = { name: 'rbf', gamma: 0.5, degree: 3, coef0: 0 };
const exact: SmoOptions = { C: 100, tol: 1e-10, shrinking: true, maxIter: -1 };

function train(
  points: number[][],
  labels: number[],
  kernel: Kernel,
  options: SmoOptions,
  cacheBytes = 1e6,
) {
  const X = new Tensor(Float32Array.from(points.flat()), [points.length, points[0].length]);
  const rows = toFeatureRows(X);
  const members = Int32Array.from(points.keys());
  const y = Int8Array.from(labels);
  const workspace = new SolverWorkspace(cacheBytes, points[0].length);
  const model = trainBinarySvc(kernel, rows, members, y, options, workspace);
  const decision = (queries: number[]) => {
    const out = new Float64Array(queries.length);
    binaryDecisionValues(kernel, rows, members, model, Int32Array.from(queries), out, workspace);
    return Array.from(out);
  };
  return { model, decision, alpha: Array.from(model.coef, (c, i) => c * labels[i]) };
}

/** Two classes of 2-D points that overlap a little (deterministic). */
function overlappingClasses(n: number): { points: number[][]; labels: number[] } {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2 === 0 ? 1 : -1;
    const angle = 2.399963 * i;
    const radius = Math.sqrt((i + 0.5) / n) * 1.6;
    points.push([label * 0.6 + radius * Math.cos(angle), radius * Math.sin(angle)]);
    labels.push(label);
  }
  return { points, labels };
}

describe('SMO solver (binary C-SVC)', () => {
  it('two points: alpha = 1/2 each, rho = 0, f(x) = x', () => {
    const { alpha, model, decision } = train([[1], [-1]], [1, -1], linear, exact);
    expect(alpha[0]).toBeCloseTo(0.5, 9);
    expect(alpha[1]).toBeCloseTo(0.5, 9);
    expect(model.rho).toBeCloseTo(0, 9);
    expect(decision([0, 1])).toEqual([expect.closeTo(1, 9), expect.closeTo(-1, 9)]);
  });

  it('two points with C below the hard-margin alpha: both at the bound C', () => {
    const { alpha, model } = train([[1], [-1]], [1, -1], linear, { ...exact, C: 0.25 });
    expect(alpha).toEqual([0.25, 0.25]);
    expect(model.rho).toBeCloseTo(0, 12);
  });

  it('four collinear points: only the inner pair supports the margin (alpha = 1/4)', () => {
    const points = [
      [1, 1],
      [2, 2],
      [-1, -1],
      [-2, -2],
    ];
    const { alpha, model, decision } = train(points, [1, 1, -1, -1], linear, exact);
    expect(alpha[0]).toBeCloseTo(0.25, 9);
    expect(alpha[1]).toBe(0);
    expect(alpha[2]).toBeCloseTo(0.25, 9);
    expect(alpha[3]).toBe(0);
    expect(model.rho).toBeCloseTo(0, 9);
    expect(decision([0, 1, 2])).toEqual([
      expect.closeTo(1, 9),
      expect.closeTo(2, 9),
      expect.closeTo(-1, 9),
    ]);
  });

  it('three points around the line y = 0: alphas 1/2, 1/4, 1/4', () => {
    // w = (0, 1), b = 0: w = sum alpha_i y_i x_i and sum alpha_i y_i = 0 give these alphas.
    const points = [
      [0, 1],
      [-1, -1],
      [1, -1],
    ];
    const { alpha, model } = train(points, [1, -1, -1], linear, exact);
    expect(alpha[0]).toBeCloseTo(0.5, 9);
    expect(alpha[1]).toBeCloseTo(0.25, 9);
    expect(alpha[2]).toBeCloseTo(0.25, 9);
    expect(model.rho).toBeCloseTo(0, 9);
  });

  it('meets the KKT conditions on overlapping classes (RBF)', () => {
    const { points, labels } = overlappingClasses(120);
    const C = 2;
    const tol = 1e-6;
    const { alpha, decision } = train(points, labels, rbf, {
      C,
      tol,
      shrinking: true,
      maxIter: -1,
    });
    const f = decision(points.map((_, i) => i));
    let free = 0;
    let bound = 0;
    for (let i = 0; i < points.length; i++) {
      const margin = labels[i] * f[i];
      if (alpha[i] === 0) expect(margin).toBeGreaterThan(1 - 1e-5);
      else if (alpha[i] === C) {
        expect(margin).toBeLessThan(1 + 1e-5);
        bound++;
      } else {
        expect(margin).toBeCloseTo(1, 5);
        free++;
      }
    }
    expect(free).toBeGreaterThan(0);
    expect(bound).toBeGreaterThan(0); // the classes overlap, so some alphas sit at C
    let balance = 0;
    for (let i = 0; i < points.length; i++) balance += alpha[i] * labels[i];
    expect(balance).toBeCloseTo(0, 10);
  });

  it('reaches the same optimum with and without shrinking', () => {
    // A large C on overlapping classes takes many more iterations than there are samples, so
    // the solver shrinks (every min(l, 1000) iterations) and later un-shrinks.
    const { points, labels } = overlappingClasses(200);
    const options = { C: 50, tol: 1e-7, shrinking: true, maxIter: -1 };
    const shrunk = train(points, labels, rbf, options);
    const plain = train(points, labels, rbf, { ...options, shrinking: false });
    const all = points.map((_, i) => i);
    const a = shrunk.decision(all);
    const b = plain.decision(all);
    for (let i = 0; i < all.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    expect(shrunk.model.iterations).toBeGreaterThan(2 * points.length);
    const support = (alpha: number[]) => alpha.flatMap((v, i) => (v > 0 ? [i] : []));
    expect(support(shrunk.alpha)).toEqual(support(plain.alpha));
  });

  it('gives bit-identical results whatever the cache size (rows recomputed or not)', () => {
    const { points, labels } = overlappingClasses(200);
    const options = { C: 50, tol: 1e-5, shrinking: true, maxIter: -1 };
    const big = train(points, labels, rbf, options, 1e7);
    const tiny = train(points, labels, rbf, options, 7 * 200 * 4); // 7 rows: constant eviction
    expect(tiny.alpha).toEqual(big.alpha);
    expect(tiny.model.rho).toBe(big.model.rho);
    expect(tiny.model.iterations).toBe(big.model.iterations);
    expect(big.model.iterations).toBeGreaterThan(2 * points.length); // shrinking took part
  });

  it('stops at the iteration cap and says so', () => {
    const { points, labels } = overlappingClasses(120);
    const { model } = train(points, labels, rbf, { C: 2, tol: 1e-6, shrinking: true, maxIter: 5 });
    expect(model.iterations).toBe(5);
    expect(model.hitIterationCap).toBe(true);
  });
});
