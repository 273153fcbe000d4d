/**
 * Class probabilities from pairwise ones by the second method of Wu, Lin & Weng, "Probability
 * estimates for multi-class classification by pairwise coupling" (JMLR 5, 2004), as LIBSVM:
 *
 *   min_p 1/2 p'Qp  subject to  sum p = 1,  Q_tt = sum_{j != t} r_jt^2,  Q_tj = -r_jt r_tj,
 *
 * where r_ij estimates P(class i | class i or j, x). Solved by the paper's fixed-point
 * iteration, which keeps p on the simplex.
 *
 * Reuse one instance per thread: it owns its work arrays.
 */
export class PairwiseCoupling {
  private readonly Q: Float64Array;
  private readonly Qp: Float64Array;

  constructor(readonly nClasses: number) {
    this.Q = new Float64Array(nClasses * nClasses);
    this.Qp = new Float64Array(nClasses);
  }

  /**
   * @param r k x k row-major, r[i * k + j] = P(i | i or j) (r[j * k + i] = 1 - r[i * k + j]).
   * @param p Receives the k class probabilities.
   */
  couple(r: Float64Array, p: Float64Array): void {
    const k = this.nClasses;
    const { Q, Qp } = this;
    const maxIterations = Math.max(100, k);
    const tolerance = 0.005 / k;
    for (let t = 0; t < k; t++) {
      p[t] = 1 / k;
      let diagonal = 0;
      for (let j = 0; j < k; j++) {
        if (j === t) continue;
        diagonal += r[j * k + t] * r[j * k + t];
        Q[t * k + j] = -r[j * k + t] * r[t * k + j];
      }
      Q[t * k + t] = diagonal;
    }
    for (let iteration = 0; iteration < maxIterations; iteration++) {
      // Stop when every (Qp)_t is within tolerance of p'Qp (the optimality condition).
      let pQp = 0;
      for (let t = 0; t < k; t++) {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Q[t * k + j] * p[j];
        Qp[t] = sum;
        pQp += p[t] * sum;
      }
      let maxError = 0;
      for (let t = 0; t < k; t++) maxError = Math.max(maxError, Math.abs(Qp[t] - pQp));
      if (maxError < tolerance) break;

      for (let t = 0; t < k; t++) {
        const diff = (-Qp[t] + pQp) / Q[t * k + t];
        p[t] += diff;
        pQp = (pQp + diff * (diff * Q[t * k + t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
        for (let j = 0; j < k; j++) {
          Qp[j] = (Qp[j] + diff * Q[t * k + j]) / (1 + diff);
          p[j] /= 1 + diff;
        }
      }
    }
  }
}
