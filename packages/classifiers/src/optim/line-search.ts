/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, "Numerical Optimization",
 * 2nd ed., Algorithms 3.5 and 3.6).
 *
 * Along a descent direction d from x, the one-dimensional function phi(step) = f(x + step * d)
 * has slope phi'(step) = grad f(x + step * d) . d, negative at step 0. A step is accepted when
 *
 *   phi(step) <= phi(0) + c1 * step * phi'(0)     (sufficient decrease, eq. 3.7a)
 *   |phi'(step)| <= c2 * |phi'(0)|                (curvature, eq. 3.7b)
 *
 * The second condition guarantees s^T y > 0 for the quasi-Newton pair s = step * d,
 * y = grad(x + s) - grad(x), which keeps the L-BFGS matrix positive definite.
 */

/** phi and phi' at one trial step. */
export interface LinePoint {
  readonly step: number;
  readonly value: number;
  readonly slope: number;
}

/**
 * Evaluates the objective at x + step * d (possibly asynchronously, e.g. on worker threads).
 * The implementation keeps that point's parameters and gradient, so after a successful search
 * the caller finds them at the accepted step (the accepted step is always the last one
 * evaluated).
 */
export type LineFunction = (step: number) => LinePoint | Promise<LinePoint>;

/** Constants of the strong Wolfe line search. */
export interface LineSearchOptions {
  /** Sufficient-decrease constant c1. Default 1e-4 (Nocedal & Wright's suggestion). */
  c1?: number;
  /** Curvature constant c2, with c1 < c2 < 1. Default 0.9 (the usual value for quasi-Newton). */
  c2?: number;
  /** Largest step tried. Default 1e10. */
  maxStep?: number;
  /** Evaluations of phi before giving up. Default 40. */
  maxEvaluations?: number;
}

/** Share of a bracket kept clear of its ends when interpolating, so the bracket always shrinks. */
const BRACKET_MARGIN = 0.1;

/**
 * Finds a step satisfying the strong Wolfe conditions, starting from `initialStep` and growing
 * it (doubling) until the minimiser is bracketed, then zooming into the bracket by safeguarded
 * cubic interpolation. `start` is phi at step 0, whose slope must be negative.
 *
 * Returns the accepted point, or `undefined` when no acceptable step was found within
 * `maxEvaluations` (typically because rounding noise dominates the decrease near an optimum).
 */
export async function strongWolfeLineSearch(
  phi: LineFunction,
  start: LinePoint,
  initialStep: number,
  options: LineSearchOptions = {},
): Promise<LinePoint | undefined> {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxStep = options.maxStep ?? 1e10;
  const budget = { left: options.maxEvaluations ?? 40 };
  const decreaseAt = (step: number) => start.value + c1 * step * start.slope;
  const curvatureBound = -c2 * start.slope;

  // Algorithm 3.5: increase the step until the bracket [previous, current] holds a Wolfe point.
  let previous = start;
  let step = Math.min(initialStep, maxStep);
  while (budget.left-- > 0) {
    const current = await phi(step);
    if (
      current.value > decreaseAt(current.step) ||
      (previous !== start && current.value >= previous.value)
    ) {
      return zoom(phi, previous, current, decreaseAt, curvatureBound, budget);
    }
    if (Math.abs(current.slope) <= curvatureBound) return current;
    if (current.slope >= 0) return zoom(phi, current, previous, decreaseAt, curvatureBound, budget);
    if (step >= maxStep) return undefined;
    previous = current;
    step = Math.min(2 * step, maxStep);
  }
  return undefined;
}

/**
 * Algorithm 3.6: `low` satisfies sufficient decrease and has the lowest value seen in the
 * bracket; `high` is its other end, chosen so that phi'(low) * (high - low) < 0. Each trial
 * replaces one end, so the bracket keeps containing a strong Wolfe point.
 */
async function zoom(
  phi: LineFunction,
  low: LinePoint,
  high: LinePoint,
  decreaseAt: (step: number) => number,
  curvatureBound: number,
  budget: { left: number },
): Promise<LinePoint | undefined> {
  while (budget.left-- > 0) {
    const trial = await phi(interpolateStep(low, high));
    if (trial.value > decreaseAt(trial.step) || trial.value >= low.value) {
      high = trial;
    } else {
      if (Math.abs(trial.slope) <= curvatureBound) return trial;
      if (trial.slope * (high.step - low.step) >= 0) high = low;
      low = trial;
    }
    if (Math.abs(high.step - low.step) <= 1e-16 * Math.max(1, Math.abs(low.step))) break;
  }
  return undefined;
}

/**
 * The minimiser of the cubic that matches phi and phi' at both ends of the bracket
 * (Nocedal & Wright eq. 3.59), kept at least 10% of the bracket's width away from its ends;
 * the bracket's midpoint when the cubic has no real minimiser.
 */
export function interpolateStep(a: LinePoint, b: LinePoint): number {
  const lo = Math.min(a.step, b.step);
  const hi = Math.max(a.step, b.step);
  const width = hi - lo;
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.step - b.step);
  const discriminant = d1 * d1 - a.slope * b.slope;
  let step = Number.NaN;
  if (discriminant >= 0) {
    const d2 = Math.sign(b.step - a.step) * Math.sqrt(discriminant);
    step = b.step - ((b.step - a.step) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
  }
  if (!Number.isFinite(step)) return lo + 0.5 * width;
  return Math.min(Math.max(step, lo + BRACKET_MARGIN * width), hi - BRACKET_MARGIN * width);
}
