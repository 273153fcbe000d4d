import { TypedlearnError } from '@typedlearn/tensor';

/** A model was used (predict, score, save, ...) before `fit` had learned anything. */
export class NotFittedError extends TypedlearnError {
  override name = 'NotFittedError';
}
