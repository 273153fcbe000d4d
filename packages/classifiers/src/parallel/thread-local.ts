import { defineTask } from '@typedlearn/tensor';

/**
 * Values a thread keeps from one task of a fit to the next: the view a worker builds over the
 * fit's shared memory, a solver's scratch space. Each is kept under a `slot` name with a
 * `key` saying what it was built for, and is rebuilt when a task brings another key (a new
 * fit's memory, another cache size). Worker threads end with their fit's pool, or drop them
 * when a fit on a pool the caller keeps ends (`runFit`); on the calling
 * thread, {@link clearThreadLocals} drops them when the fit ends (`runFit` does), so a model
 * kept in a long-lived process holds no scratch memory.
 */
const slots = new Map<string, { key: string; value: unknown }>();

/** The value in `slot` if it was built for `key`; otherwise a new one from `create`, kept. */
export function threadLocal<V>(slot: string, key: string, create: () => V): V {
  const kept = slots.get(slot);
  if (kept !== undefined && kept.key === key) return kept.value as V;
  const value = create();
  slots.set(slot, { key, value });
  return value;
}

/** Drops every value this thread keeps. */
export function clearThreadLocals(): void {
  slots.clear();
}

/** {@link clearThreadLocals} as a pool task, for the threads of a pool that outlives a fit. */
export const CLEAR_THREAD_LOCALS = defineTask(
  new URL('./thread-local.js', import.meta.url),
  'clearThreadLocals',
);

let memoriesCreated = 0;

/**
 * A fresh identifier for the memory of one fit (or one prediction), the key under which
 * threads keep what they build over it: unique within this process and across processes.
 */
export function newMemoryId(): string {
  return `${++memoriesCreated}-${Math.random().toString(36).slice(2)}`;
}
