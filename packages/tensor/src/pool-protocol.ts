import { DTypeError, FormatError, ShapeError, TypedlearnError, ValueError } from './errors.js';
import type { Backend } from './backend.js';
import type { TaskRef } from './task.js';

/**
 * The messages a {@link WorkerPool} and its workers exchange. Each worker runs one task at a
 * time: the pool posts a request, the worker posts exactly one reply.
 */

/**
 * Pool -> worker: run `task` on `input` with the kernels `backend` of the thread that sent it
 * (so a task computes the same thing on any thread); or, with `preload` instead, import those
 * tasks' modules now (the reply's output is undefined).
 */
export type TaskRequest =
  | {
      readonly id: number;
      readonly task: TaskRef;
      readonly input: unknown;
      readonly backend: Backend;
    }
  | { readonly id: number; readonly preload: readonly TaskRef[] };

/** Worker -> pool: the task's output, or the error it threw. */
export type TaskReply =
  | { readonly id: number; readonly ok: true; readonly output: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** An error reduced to what survives `postMessage`. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { name: 'Error', message: String(error) };
}

const errorClasses: Record<string, new (message: string) => Error> = {
  TypedlearnError,
  ShapeError,
  DTypeError,
  ValueError,
  FormatError,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/**
 * Rebuilds an error thrown in a worker: same class when it is one of typedlearn's errors or a
 * built-in error class (otherwise an `Error` carrying the original `name`), same message, and
 * the worker's stack trace.
 */
export function deserializeError(serialized: SerializedError): Error {
  const ErrorClass = errorClasses[serialized.name] ?? Error;
  const error = new ErrorClass(serialized.message);
  if (error.name !== serialized.name) error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
