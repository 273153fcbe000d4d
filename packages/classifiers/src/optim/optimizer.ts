/**
 * A first-order update rule for mini-batch training. A model keeps all its parameters in one
 * flat Float32Array (each layer's weights and biases are views into it) and their gradient in
 * another of the same length, so one optimiser updates the whole model.
 */
export interface Optimizer {
  /**
   * Takes one step: parameters -= (the rule's function of the gradient history) with the
   * given learning rate, reading the gradient buffer the optimiser was created with.
   */
  step(learningRate: number): void;
}
