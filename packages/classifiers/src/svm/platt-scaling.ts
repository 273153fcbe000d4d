/** A fitted sigmoid P(y = +1 | f) = 1 / (1 + exp(A f + B)) of a decision value f. */
export interface Sigmoid {
  A: number;
  B: number;
}

/**
 * Platt's probabilistic outputs for SVMs (Platt 2000), fitted as Lin, Lin & Weng recommend
 * ("A note on Platt's probabilistic outputs for support vector machines", Machine Learning 68,
 * 2007), as LIBSVM does: minimise the cross-entropy of targets smoothed towards the priors,
 * t+ = (N+ + 1) / (N+ + 2) and t- = 1 / (N- + 2), over (A, B) by Newton's method with a
 * backtracking line search, in a form that never overflows exp.
 *
 * @param decisionValues f_i, out-of-sample decision values (from internal cross-validation).
 * @param labels +1 or -1 for each f_i.
 */
export function fitSigmoid(decisionValues: Float64Array, labels: Int8Array): Sigmoid {
  const n = decisionValues.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] > 0) positives++;
  const negatives = n - positives;
  const maxIterations = 100;
  const minStep = 1e-10;
  const ridge = 1e-12; // keeps the Hessian strictly positive definite
  const tolerance = 1e-5;
  const highTarget = (positives + 1) / (positives + 2);
  const lowTarget = 1 / (negatives + 2);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) target[i] = labels[i] > 0 ? highTarget : lowTarget;

  let A = 0;
  let B = Math.log((negatives + 1) / (positives + 1));
  let value = crossEntropy(decisionValues, target, A, B);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let h11 = ridge;
    let h22 = ridge;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const f = decisionValues[i];
      const fApB = f * A + B;
      // p = P(y = +1) = 1 / (1 + exp(fApB)), q = 1 - p, each without overflow.
      let p: number;
      let q: number;
      if (fApB >= 0) {
        const e = Math.exp(-fApB);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(fApB);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += f * f * d2;
      h22 += d2;
      h21 += f * d2;
      const d1 = target[i] - p;
      g1 += f * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < tolerance && Math.abs(g2) < tolerance) break;

    // Newton direction -H^-1 g, then halve the step until the objective decreases enough.
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const slope = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= minStep) {
      const newA = A + step * dA;
      const newB = B + step * dB;
      const newValue = crossEntropy(decisionValues, target, newA, newB);
      if (newValue < value + 0.0001 * step * slope) {
        A = newA;
        B = newB;
        value = newValue;
        break;
      }
      step /= 2;
    }
    if (step < minStep) break; // the line search failed: keep the best point found
  }
  return { A, B };
}

/** P(y = +1 | f) = 1 / (1 + exp(A f + B)), computed without overflow or cancellation. */
export function sigmoidProbability(f: number, A: number, B: number): number {
  const fApB = f * A + B;
  if (fApB >= 0) {
    const e = Math.exp(-fApB);
    return e / (1 + e);
  }
  return 1 / (1 + Math.exp(fApB));
}

function crossEntropy(f: Float64Array, target: Float64Array, A: number, B: number): number {
  let sum = 0;
  for (let i = 0; i < f.length; i++) {
    const fApB = f[i] * A + B;
    sum +=
      fApB >= 0
        ? target[i] * fApB + Math.log1p(Math.exp(-fApB))
        : (target[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
  }
  return sum;
}
