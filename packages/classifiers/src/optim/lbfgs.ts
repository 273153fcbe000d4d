import { strongWolfeLineSearch, type LinePoint, type LineSearchOptions } from './line-search.js';

/**
 * A smooth function to minimise: returns f(x) and writes its gradient into `gradient`
 * (same length as `x`), directly or through a promise (e.g. when worker threads compute it).
 * It must not keep references to either array.
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number | Promise<number>;

/** What one L-BFGS iteration reached, as reported to `onIteration`. */
export interface LbfgsIteration {
  /** Iterations done so far (1 after the first). */
  iteration: number;
  /** Objective value at the current point. */
  value: number;
  /** Largest absolute gradient component at the current point. */
  gradientMaxNorm: number;
  /** Objective evaluations so far, line-search trials included. */
  evaluations: number;
}

/** Why {@link minimizeLbfgs} stopped. */
export type LbfgsStopReason =
  /** The largest gradient component fell to `gradientTolerance`. */
  | 'gradient'
  /** The relative decrease of the objective fell to `valueTolerance`. */
  | 'value'
  /** `maxIterations` were done. */
  | 'max-iterations'
  /** No step satisfying the Wolfe conditions exists at the precision of the arithmetic. */
  | 'line-search';

/** Settings of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Most iterations (accepted steps). Default 100. */
  maxIterations?: number;
  /** Stop when max_i |grad_i| <= this. Default 1e-5. */
  gradientTolerance?: number;
  /**
   * Stop when (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= this. Default 1e-12; 0 disables the
   * test (scipy's L-BFGS-B calls it `ftol`).
   */
  valueTolerance?: number;
  /** Correction pairs (s, y) kept, m in Nocedal & Wright. Default 10. */
  memory?: number;
  /**
   * A diagonal preconditioner: the initial inverse Hessian approximation becomes
   * H0 = gamma * diag(preconditioner) instead of gamma * I (Nocedal & Wright, Section 7.2: any
   * positive definite H0 may be used; Liu & Nocedal 1989 study diagonal scalings). A good
   * choice is the inverse of an estimate of the Hessian's diagonal; it changes the path, not
   * the minimiser. Default: none (the identity).
   */
  preconditioner?: Float64Array;
  /** Constants of the strong Wolfe line search. */
  lineSearch?: LineSearchOptions;
  /**
   * Called after every iteration; awaited, so it may yield to the event loop, and it may throw
   * (an aborted signal, say) to stop the minimisation.
   */
  onIteration?: (progress: LbfgsIteration) => void | Promise<void>;
}

/** The outcome of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** The last accepted point. */
  x: Float64Array;
  value: number;
  gradientMaxNorm: number;
  iterations: number;
  evaluations: number;
  stopReason: LbfgsStopReason;
}

/**
 * Minimises a smooth function by limited-memory BFGS (Nocedal & Wright, "Numerical
 * Optimization", 2nd ed., Algorithm 7.5): each step goes along d = -H g, where H, the inverse
 * Hessian approximation built from the last `memory` pairs s = x_k+1 - x_k, y = g_k+1 - g_k, is
 * applied by the two-loop recursion (Algorithm 7.4) without ever being formed. The step length
 * comes from a strong Wolfe line search, which keeps s^T y > 0 and so H positive definite.
 *
 * `x0` is not modified. Everything is float64.
 */
export async function minimizeLbfgs(
  objective: Objective,
  x0: Float64Array,
  options: LbfgsOptions = {},
): Promise<LbfgsResult> {
  const maxIterations = options.maxIterations ?? 100;
  const gradientTolerance = options.gradientTolerance ?? 1e-5;
  const valueTolerance = options.valueTolerance ?? 1e-12;
  const n = x0.length;
  const history = new CorrectionHistory(options.memory ?? 10, n, options.preconditioner);

  let x = Float64Array.from(x0);
  let gradient = new Float64Array(n);
  let trialX = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  const direction = new Float64Array(n);
  let value = await objective(x, gradient);
  let evaluations = 1;
  let iterations = 0;

  // phi(step) = f(x + step * direction), evaluated into the trial buffers.
  const phi = async (step: number): Promise<LinePoint> => {
    for (let i = 0; i < n; i++) trialX[i] = x[i] + step * direction[i];
    const trialValue = await objective(trialX, trialGradient);
    evaluations++;
    return { step, value: trialValue, slope: dot(trialGradient, direction) };
  };

  let stopReason: LbfgsStopReason = 'max-iterations';
  if (maxAbs(gradient) <= gradientTolerance) stopReason = 'gradient';
  while (stopReason === 'max-iterations' && iterations < maxIterations) {
    history.applyInverseHessian(gradient, direction);
    for (let i = 0; i < n; i++) direction[i] = -direction[i];
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Rounding made the quasi-Newton direction useless: restart without curvature pairs.
      history.clear();
      history.applyInverseHessian(gradient, direction);
      for (let i = 0; i < n; i++) direction[i] = -direction[i];
      slope = dot(gradient, direction);
    }
    // Without curvature pairs, scale the first step to a unit move (as scipy's L-BFGS-B does).
    const initialStep =
      history.size === 0 ? Math.min(1, 1 / Math.sqrt(dot(direction, direction))) : 1;
    const accepted = await strongWolfeLineSearch(
      phi,
      { step: 0, value, slope },
      initialStep,
      options.lineSearch,
    );
    if (accepted === undefined) {
      if (history.size === 0) {
        stopReason = 'line-search';
        break;
      }
      history.clear();
      continue;
    }

    // The trial buffers hold x_k+1 and g_k+1: record s and y, then make them current.
    history.push(trialX, x, trialGradient, gradient);
    const previousValue = value;
    value = accepted.value;
    [x, trialX] = [trialX, x];
    [gradient, trialGradient] = [trialGradient, gradient];
    iterations++;

    const gradientMaxNorm = maxAbs(gradient);
    await options.onIteration?.({ iteration: iterations, value, gradientMaxNorm, evaluations });
    const scale = Math.max(Math.abs(previousValue), Math.abs(value), 1);
    if (gradientMaxNorm <= gradientTolerance) stopReason = 'gradient';
    else if ((previousValue - value) / scale <= valueTolerance) stopReason = 'value';
  }
  return { x, value, gradientMaxNorm: maxAbs(gradient), iterations, evaluations, stopReason };
}

/**
 * The last m correction pairs (s_i, y_i) with rho_i = 1 / (y_i^T s_i), in a ring buffer, and
 * the product of the implied inverse Hessian approximation with a vector.
 */
class CorrectionHistory {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: Float64Array;
  private readonly alpha: Float64Array;
  /** Index of the oldest pair in the ring. */
  private oldest = 0;
  size = 0;

  constructor(
    private readonly capacity: number,
    private readonly n: number,
    private readonly preconditioner: Float64Array | undefined,
  ) {
    for (let i = 0; i < capacity; i++) {
      this.s.push(new Float64Array(n));
      this.y.push(new Float64Array(n));
    }
    this.rho = new Float64Array(capacity);
    this.alpha = new Float64Array(capacity);
  }

  clear(): void {
    this.size = 0;
    this.oldest = 0;
  }

  /**
   * Stores s = xNew - xOld and y = gNew - gOld. A pair without positive curvature (possible
   * only through rounding, since the Wolfe conditions guarantee y^T s > 0) is skipped.
   */
  push(xNew: Float64Array, xOld: Float64Array, gNew: Float64Array, gOld: Float64Array): void {
    const slot = (this.oldest + this.size) % this.capacity;
    const s = this.s[slot];
    const y = this.y[slot];
    for (let i = 0; i < this.n; i++) {
      s[i] = xNew[i] - xOld[i];
      y[i] = gNew[i] - gOld[i];
    }
    const curvature = dot(y, s);
    if (!(curvature > 1e-10 * dot(y, y))) {
      // When full, the skipped pair overwrote the oldest one: drop that slot too.
      if (this.size === this.capacity) {
        this.oldest = (this.oldest + 1) % this.capacity;
        this.size--;
      }
      return;
    }
    this.rho[slot] = 1 / curvature;
    if (this.size < this.capacity) this.size++;
    else this.oldest = (this.oldest + 1) % this.capacity;
  }

  /**
   * out = H g by the two-loop recursion (Nocedal & Wright, Algorithm 7.4), with the initial
   * matrix H0 = gamma D, D the diagonal preconditioner (the identity by default) and
   * gamma = s^T y / y^T D y of the newest pair (eq. 7.20 with D = I). With no pairs, out = D g.
   */
  applyInverseHessian(g: Float64Array, out: Float64Array): void {
    out.set(g);
    if (this.size === 0) {
      this.precondition(out, 1);
      return;
    }
    const newest = (this.oldest + this.size - 1) % this.capacity;
    for (let age = 0; age < this.size; age++) {
      const slot = (newest - age + this.capacity) % this.capacity;
      const a = this.rho[slot] * dot(this.s[slot], out);
      this.alpha[slot] = a;
      axpyInPlace(-a, this.y[slot], out);
    }
    const yNewest = this.y[newest];
    const gamma = 1 / (this.rho[newest] * this.weightedSquaredNorm(yNewest));
    this.precondition(out, gamma);
    for (let age = this.size - 1; age >= 0; age--) {
      const slot = (newest - age + this.capacity) % this.capacity;
      const beta = this.rho[slot] * dot(this.y[slot], out);
      axpyInPlace(this.alpha[slot] - beta, this.s[slot], out);
    }
  }

  /** v = gamma * D v. */
  private precondition(v: Float64Array, gamma: number): void {
    const d = this.preconditioner;
    if (d === undefined) for (let i = 0; i < this.n; i++) v[i] *= gamma;
    else for (let i = 0; i < this.n; i++) v[i] *= gamma * d[i];
  }

  /** y^T D y. */
  private weightedSquaredNorm(y: Float64Array): number {
    const d = this.preconditioner;
    if (d === undefined) return dot(y, y);
    let total = 0;
    for (let i = 0; i < this.n; i++) total += d[i] * y[i] * y[i];
    return total;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

function axpyInPlace(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += alpha * x[i];
}

function maxAbs(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > max) max = v;
  }
  return max;
}
