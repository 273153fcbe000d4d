import { TypedlearnError } from '@typedlearn/tensor';

/** The user pressed Ctrl-C: the work stopped cleanly (exit code 130, as shells expect). */
export class Interrupted extends TypedlearnError {
  override name = 'Interrupted';
}

/**
 * Runs `work` with an AbortSignal that fires on Ctrl-C (SIGINT), so training stops between
 * steps, progress bars are closed and the terminal is left as it was.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(new Interrupted('interrupted (Ctrl-C)'));
  process.once('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
