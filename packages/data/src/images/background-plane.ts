/**
 * The grey level of a picture's background where no ink is, modelled as a plane: at column x,
 * row y it is `level + slopeY (y - centreY) + slopeX (x - centreX)`. A plane follows the even
 * fall-off of light across a photographed page; a flat background has zero slopes.
 */
export interface BackgroundPlane {
  level: number;
  slopeX: number;
  slopeY: number;
  centreX: number;
  centreY: number;
}

/** The plane is fitted to a regular lattice of at most this many pixels: it has three parameters. */
const MAX_SAMPLES = 1 << 16;
/** Concentration steps of the trimmed fit; it usually settles after two or three. */
const MAX_STEPS = 10;
/** The final fit takes the pixels within this many noise deviations of the trimmed one. */
const INLIER_DEVIATIONS = 2.5;
/** Consistency factor of the MAD: 1.4826 MAD estimates the standard deviation of Gaussian noise. */
const MAD_TO_SIGMA = 1.4826;
/** Least inlier band (a quarter of an 8-bit grey level): flat pictures have no noise at all. */
const MIN_INLIER_BAND = 1 / 1024;

/** Coefficients [a, b, c] of a + b u + c v, in the sample coordinates u, v. */
type Plane = [number, number, number];

/**
 * Fits the background plane of `gray` (row-major, `width` columns) by iteratively trimmed least
 * squares, robust because the ink covers fewer than half of the pixels. Starting from the
 * median grey (a flat plane, right whenever the ink is a minority), each step refits
 * a + b x + c y by least squares to the half of the pixels nearest the current plane, which
 * never increases the sum of the smallest half of the squared residuals and so settles in a
 * few steps: the "concentration steps" of least trimmed squares (Rousseeuw & Van Driessen,
 * "Computing LTS regression for large data sets", Data Min. Knowl. Disc. 12, 2006). Ink,
 * frames and specks lie far off the plane and drop out of that half. A last fit takes every
 * pixel within 2.5 sigma of the trimmed plane, sigma = 1.4826 times the median absolute
 * residual (the MAD estimate of the noise), so that all of the paper counts (the reweighting
 * of Rousseeuw & Leroy, "Robust Regression and Outlier Detection", Wiley 1987). A straight
 * gradient is followed exactly. The plane is fitted to the residuals from the median, so a
 * flat background comes out as exactly its grey level, as the median alone would give.
 */
export function fitBackgroundPlane(
  gray: Float32Array,
  width: number,
  height: number,
): BackgroundPlane {
  const samples = new PlaneSamples(gray, width, height);
  let plane: Plane = [0, 0, 0];
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = samples.fitWithin(plane, samples.medianAbsoluteResidual(plane));
    if (next.every((coefficient, i) => coefficient === plane[i])) break;
    plane = next;
  }
  const sigma = MAD_TO_SIGMA * samples.medianAbsoluteResidual(plane);
  const [a, b, c] = samples.fitWithin(plane, Math.max(INLIER_DEVIATIONS * sigma, MIN_INLIER_BAND));
  const { median, scale } = samples;
  return {
    level: median + a,
    slopeX: b / scale,
    slopeY: c / scale,
    centreX: samples.centreX,
    centreY: samples.centreY,
  };
}

/**
 * The background's grey level on row `y` at the centre column; at column x it is this plus
 * `slopeX (x - centreX)`.
 */
export function backgroundRowLevel(plane: BackgroundPlane, y: number): number {
  return plane.level + plane.slopeY * (y - plane.centreY);
}

/** Replaces every pixel of `gray` by its difference from the background `plane`, in place. */
export function subtractBackground(
  gray: Float32Array,
  width: number,
  height: number,
  plane: BackgroundPlane,
): void {
  const { slopeX, centreX } = plane;
  for (let y = 0; y < height; y++) {
    const rowLevel = backgroundRowLevel(plane, y);
    const row = y * width;
    for (let x = 0; x < width; x++) gray[row + x] -= rowLevel + slopeX * (x - centreX);
  }
}

/**
 * A regular lattice of at most {@link MAX_SAMPLES} pixels of the picture, at coordinates
 * u, v centred on the picture and scaled into [-1, 1] (which keeps the normal equations well
 * conditioned at any size), and `z`, their grey levels minus the median grey.
 */
class PlaneSamples {
  readonly median: number;
  readonly scale: number;
  readonly centreX: number;
  readonly centreY: number;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly z: Float64Array;
  private readonly residuals: Float64Array;
  private readonly scratch: Float64Array;

  constructor(gray: Float32Array, width: number, height: number) {
    const stride = Math.ceil(Math.sqrt((width * height) / MAX_SAMPLES));
    const offset = stride >> 1;
    const columns = Math.max(1, Math.ceil((width - offset) / stride));
    const rows = Math.max(1, Math.ceil((height - offset) / stride));
    const count = columns * rows;
    this.centreX = (width - 1) / 2;
    this.centreY = (height - 1) / 2;
    this.scale = Math.max(this.centreX, this.centreY, 1);
    this.u = new Float64Array(count);
    this.v = new Float64Array(count);
    this.z = new Float64Array(count);
    for (let j = 0, k = 0; j < rows; j++) {
      const y = Math.min(offset + j * stride, height - 1);
      for (let i = 0; i < columns; i++, k++) {
        const x = Math.min(offset + i * stride, width - 1);
        this.u[k] = (x - this.centreX) / this.scale;
        this.v[k] = (y - this.centreY) / this.scale;
        this.z[k] = gray[y * width + x];
      }
    }
    this.scratch = this.z.slice();
    this.median = kthSmallest(this.scratch, (count - 1) >> 1);
    for (let k = 0; k < count; k++) this.z[k] -= this.median;
    this.residuals = new Float64Array(count);
  }

  /** The median over the samples of |z - plane|. */
  medianAbsoluteResidual(plane: Plane): number {
    this.computeResiduals(plane);
    this.scratch.set(this.residuals);
    return kthSmallest(this.scratch, (this.scratch.length - 1) >> 1);
  }

  /** The least-squares plane through the samples within `band` of `plane`. */
  fitWithin(plane: Plane, band: number): Plane {
    this.computeResiduals(plane);
    const sums = new NormalEquations();
    for (let k = 0; k < this.z.length; k++) {
      if (this.residuals[k] <= band) sums.add(this.u[k], this.v[k], this.z[k]);
    }
    return sums.solve();
  }

  private computeResiduals([a, b, c]: Plane): void {
    const { u, v, z, residuals } = this;
    for (let k = 0; k < z.length; k++) residuals[k] = Math.abs(z[k] - (a + b * u[k] + c * v[k]));
  }
}

/**
 * Sums of the least-squares normal equations of z ~ a + b u + c v:
 * [n, Su, Sv; Su, Suu, Suv; Sv, Suv, Svv] [a, b, c]' = [Sz, Suz, Svz]'.
 */
class NormalEquations {
  count = 0;
  private su = 0;
  private sv = 0;
  private suu = 0;
  private suv = 0;
  private svv = 0;
  private sz = 0;
  private suz = 0;
  private svz = 0;

  add(u: number, v: number, z: number): void {
    this.count++;
    this.su += u;
    this.sv += v;
    this.suu += u * u;
    this.suv += u * v;
    this.svv += v * v;
    this.sz += z;
    this.suz += u * z;
    this.svz += v * z;
  }

  /**
   * [a, b, c] by Cramer's rule; a flat fit [mean z, 0, 0] when the points cannot fix a plane
   * (fewer than three, or all on one line, as in a picture one pixel high).
   */
  solve(): Plane {
    const { count: n, su, sv, suu, suv, svv, sz, suz, svz } = this;
    if (n === 0) return [0, 0, 0];
    const det =
      n * (suu * svv - suv * suv) - su * (su * svv - suv * sv) + sv * (su * suv - suu * sv);
    if (!(Math.abs(det) > 1e-9 * n * n * n)) return [sz / n, 0, 0];
    const a =
      sz * (suu * svv - suv * suv) - su * (suz * svv - suv * svz) + sv * (suz * suv - suu * svz);
    const b = n * (suz * svv - svz * suv) - sz * (su * svv - suv * sv) + sv * (su * svz - suz * sv);
    const c = n * (suu * svz - suv * suz) - su * (su * svz - suz * sv) + sz * (su * suv - suu * sv);
    return [a / det, b / det, c / det];
  }
}

/** The k-th smallest of `values` (0-based), by quickselect (Hoare's FIND); reorders `values`. */
function kthSmallest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k];
  }
  return values[k];
}
