import { reluBackward, reluInPlace } from '@typedlearn/tensor';

/** Hidden-layer nonlinearities of the MLP. */
export type Activation = 'relu' | 'tanh';

/** The activations {@link MLPClassifier} knows. */
export const ACTIVATIONS: readonly Activation[] = ['relu', 'tanh'];

/**
 * a = f(z) in place over `z[start..end)`: relu(z) = max(z, 0), or tanh(z).
 */
export function activate(
  activation: Activation,
  z: Float32Array,
  start: number,
  end: number,
): void {
  if (activation === 'relu') {
    reluInPlace(z, start, end);
  } else {
    for (let i = start; i < end; i++) z[i] = Math.tanh(z[i]);
  }
}

/**
 * delta *= f'(z) over `[start..end)`, with the derivative written in terms of the activation
 * a = f(z) that the forward pass kept, stored as `a / scale` (scale is the dropout keep
 * probability, 1 without dropout): relu'(z) = [a > 0], tanh'(z) = 1 - a^2.
 */
export function multiplyByDerivative(
  activation: Activation,
  stored: Float32Array,
  delta: Float32Array,
  start: number,
  end: number,
  scale: number,
): void {
  if (activation === 'relu') {
    reluBackward(stored, delta, start, end);
  } else {
    for (let i = start; i < end; i++) {
      const a = stored[i] * scale;
      delta[i] *= 1 - a * a;
    }
  }
}
