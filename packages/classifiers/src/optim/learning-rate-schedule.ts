/**
 * How the learning rate changes over training, epoch by epoch:
 * - `'constant'`: the base rate throughout;
 * - `'cosine'`: cosine annealing from the base rate towards 0 (Loshchilov & Hutter, "SGDR",
 *   ICLR 2017, eq. 5 without restarts): rate * (1 + cos(pi * epoch / epochs)) / 2;
 * - `'exponential'`: rate * decay^epoch.
 */
export type LearningRateSchedule = 'constant' | 'cosine' | 'exponential';

/** The schedules {@link learningRateAt} knows. */
export const LEARNING_RATE_SCHEDULES: readonly LearningRateSchedule[] = [
  'constant',
  'cosine',
  'exponential',
];

/**
 * The learning rate of epoch `epoch` (0-based) out of `epochs`, from the base `rate`;
 * `decay` is used by `'exponential'` only.
 */
export function learningRateAt(
  schedule: LearningRateSchedule,
  rate: number,
  epoch: number,
  epochs: number,
  decay: number,
): number {
  switch (schedule) {
    case 'constant':
      return rate;
    case 'cosine':
      return (rate * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
    case 'exponential':
      return rate * decay ** epoch;
  }
}
