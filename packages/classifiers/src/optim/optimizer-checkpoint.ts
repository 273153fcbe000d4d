/**
 * A copy of an optimiser's state arrays (Adam's moments, SGD's velocity) and of the step and
 * epoch counts, taken before a `partialFit` call, so a call that fails or is aborted can put
 * everything back. The copies are allocated once and reused by later calls.
 */
export class OptimizerCheckpoint {
  private saved: { state: Float32Array[]; step: number; epochs: number } | undefined;

  /** Copies `state` and the counters. */
  save(state: readonly Float32Array[], step: number, epochs: number): void {
    this.saved ??= { state: state.map((a) => new Float32Array(a.length)), step: 0, epochs: 0 };
    for (let i = 0; i < state.length; i++) this.saved.state[i].set(state[i]);
    this.saved.step = step;
    this.saved.epochs = epochs;
  }

  /** Copies the saved arrays back into `state` and returns the saved counters (none saved: undefined). */
  restore(state: readonly Float32Array[]): { step: number; epochs: number } | undefined {
    const { saved } = this;
    if (saved === undefined) return undefined;
    for (let i = 0; i < state.length; i++) state[i].set(saved.state[i]);
    return { step: saved.step, epochs: saved.epochs };
  }
}
