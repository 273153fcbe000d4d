/**
 * A first-order update rule for mini-batch training. A model keeps all its parameters in one
 * flat Float32Array (each layer's weights and biases are views into it) and their gradient in
 * another of the same length, so one optimiser updates the whole model. The rule is
 * elementwise, so `update` takes a range: threads can share one step, each updating its own
 * slice, with the same result as one thread updating everything.
 */
export interface Optimizer {
  /**
   * Step number `step` (1 for the first mini-batch) with the given learning rate, over
   * parameters [start, end), reading the gradient buffer the optimiser was created with.
   */
  update(step: number, learningRate: number, start: number, end: number): void;
}
