import { allocate, type Allocator } from '@typedlearn/tensor';
import type { Optimizer } from './optimizer.js';

/** Constants of {@link SgdMomentum}. */
export interface SgdMomentumSettings {
  /** Momentum coefficient mu in [0, 1); 0 is plain SGD. Default 0.9. */
  momentum?: number;
  /** Use Nesterov's accelerated gradient instead of classical momentum. Default false. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with momentum (Polyak's heavy ball; Sutskever et al., "On the
 * importance of initialization and momentum in deep learning", ICML 2013, eqs. 1-4):
 *
 *   velocity = mu * velocity - lr * g
 *   w += velocity                          (classical)
 *   w += mu * velocity - lr * g            (Nesterov, in the form that needs no look-ahead gradient)
 */
export class SgdMomentum implements Optimizer {
  /** The velocity, alone in a tuple (to share it with other threads). */
  readonly state: readonly [Float32Array];
  private readonly momentum: number;
  private readonly nesterov: boolean;

  /** `state` reuses a velocity array; otherwise it is created zeroed by `allocator`. */
  constructor(
    private readonly parameters: Float32Array,
    private readonly gradient: Float32Array,
    settings: SgdMomentumSettings = {},
    allocator: Allocator = allocate,
    state?: readonly [Float32Array],
  ) {
    this.momentum = settings.momentum ?? 0.9;
    this.nesterov = settings.nesterov ?? false;
    this.state = state ?? [allocator('float32', parameters.length)];
  }

  update(_step: number, learningRate: number, start: number, end: number): void {
    const { parameters: w, gradient: g, momentum: mu } = this;
    const [velocity] = this.state;
    if (this.nesterov) {
      for (let i = start; i < end; i++) {
        const v = mu * velocity[i] - learningRate * g[i];
        velocity[i] = v;
        w[i] += mu * v - learningRate * g[i];
      }
    } else {
      for (let i = start; i < end; i++) {
        const v = mu * velocity[i] - learningRate * g[i];
        velocity[i] = v;
        w[i] += v;
      }
    }
  }
}
