import { TypedlearnError } from '@typedlearn/tensor';

/**
 * A mistake on the command line that the parser could not see, such as a hyper-parameter the
 * model does not have in `--set`. The CLI prints it with a pointer to `--help` and exits with 2.
 */
export class UsageError extends TypedlearnError {
  override name = 'UsageError';
}
