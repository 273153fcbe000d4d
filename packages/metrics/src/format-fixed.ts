/**
 * `value` with `digits` decimals exactly as Python's `'{:.{digits}f}'` prints it, which is how
 * scikit-learn formats its reports. JavaScript's `toFixed` rounds an exact half away from zero
 * (0.125 -> "0.13") where Python rounds it to even ("0.12"); any other value rounds the same.
 */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const rounded = value.toFixed(digits);
  // Every double has a finite decimal expansion; 100 places show whether it is an exact half.
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf('.');
  const dropped = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(dropped)) return rounded;
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastKept = Number(truncated[truncated.length - 1]);
  if (lastKept % 2 === 1) return rounded;
  return (value < 0 ? '-' : '') + truncated;
}
