/**
 * Resolves on a later turn of the event loop, so that during a long `fit` timers, I/O,
 * progress output and `AbortSignal`s get their turn. Costs about a microsecond in Node
 * (`setImmediate`); browsers fall back to a zero-delay timeout.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
