import { adamStep, allocate, type Allocator } from '@typedlearn/tensor';
import type { Optimizer } from './optimizer.js';

/** Constants of {@link Adam}. */
export interface AdamSettings {
  /** Decay of the first-moment (mean) estimate. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment (uncentred variance) estimate. Default 0.999. */
  beta2?: number;
  /** Added to the root of the second moment to avoid division by zero. Default 1e-8. */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015, Algorithm 1):
 * running averages of the gradient (m) and of its square (v) scale each parameter's step.
 * The bias corrections of both moments are folded into the step size, as in the paper's
 * Section 2: alpha_t = alpha * sqrt(1 - beta2^t) / (1 - beta1^t).
 */
export class Adam implements Optimizer {
  /** The moment estimates m and v, in this order (to share them with other threads). */
  readonly state: readonly [Float32Array, Float32Array];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  /**
   * `state` reuses moment arrays (from {@link Adam.state} of an optimiser on another thread);
   * otherwise they are created zeroed by `allocator`.
   */
  constructor(
    private readonly parameters: Float32Array,
    private readonly gradient: Float32Array,
    settings: AdamSettings = {},
    allocator: Allocator = allocate,
    state?: readonly [Float32Array, Float32Array],
  ) {
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-8;
    this.state = state ?? [
      allocator('float32', parameters.length),
      allocator('float32', parameters.length),
    ];
  }

  /**
   * One step over parameters [start, end), by the tensor core's `adamStep` kernel: on the
   * `'js'` backend float64 arithmetic rounded to float32, on `'wasm-simd'` float32 SIMD.
   */
  update(step: number, learningRate: number, start: number, end: number): void {
    const { parameters, gradient, beta1, beta2, epsilon } = this;
    const [m, v] = this.state;
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    // epsilon is added to sqrt(v_hat) in the paper; in terms of the uncorrected v it becomes
    // epsilon * sqrt(1 - beta2^t).
    const scaledEpsilon = epsilon * Math.sqrt(1 - beta2 ** step);
    adamStep(parameters, gradient, m, v, start, end, beta1, beta2, stepSize, scaledEpsilon);
  }
}
