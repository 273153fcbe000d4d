import { TypedlearnError } from '@typedlearn/tensor';

/** A transform or pipeline was used (transform, predict, toState, ...) before `fit`. */
export class NotFittedError extends TypedlearnError {
  override name = 'NotFittedError';
}
