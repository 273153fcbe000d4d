import { TypedlearnError, ValueError } from './errors.js';

/**
 * A task a {@link WorkerPool} can run: a named export of an ES module, `async function
 * name(input): output` (or synchronous). Threads cannot share closures, so a task is identified
 * by where its code lives; each worker imports the module once and calls the export.
 */
export interface TaskRef {
  /** Absolute URL of the module, usually `new URL('./my-task.js', import.meta.url).href`. */
  readonly moduleUrl: string;
  /** Name of the exported function. */
  readonly exportName: string;
}

/** A task function: takes the input sent to the pool and returns (or resolves to) the output. */
export type TaskFunction = (input: never) => unknown;

/**
 * Names the export `exportName` of the module at `moduleUrl` as a task, e.g.
 * `defineTask(new URL('./train-pair.js', import.meta.url), 'trainPair')`. The URL must be
 * absolute (a file: URL in Node). A `.js` URL whose file is missing but whose `.ts` sibling
 * exists (code running from TypeScript sources) resolves to the `.ts` file.
 */
export function defineTask(moduleUrl: string | URL, exportName: string): TaskRef {
  const href = moduleUrl instanceof URL ? moduleUrl.href : moduleUrl;
  try {
    new URL(href);
  } catch {
    throw new ValueError(
      `defineTask: moduleUrl must be an absolute URL such as new URL('./task.js', import.meta.url), got '${href}'`,
    );
  }
  if (typeof exportName !== 'string' || exportName.length === 0) {
    throw new ValueError(
      `defineTask: exportName must be a non-empty string, got ${String(exportName)}`,
    );
  }
  return Object.freeze({ moduleUrl: href, exportName });
}

/** Modules already imported by this thread, by task module URL. */
const taskModules = new Map<string, Promise<Record<string, unknown>>>();

/** Imports the task's module (once per thread) and returns its exported function. */
export async function loadTask(task: TaskRef): Promise<TaskFunction> {
  let module = taskModules.get(task.moduleUrl);
  if (module === undefined) {
    module = importModule(await resolveModuleUrl(task.moduleUrl));
    taskModules.set(task.moduleUrl, module);
  }
  const fn = (await module)[task.exportName];
  if (typeof fn !== 'function') {
    throw new TypedlearnError(
      `task '${task.exportName}' is not a function exported by ${task.moduleUrl} (found ${typeof fn})`,
    );
  }
  return fn as TaskFunction;
}

/** Runs `task` on `input` in the calling thread. */
export async function runTask(task: TaskRef, input: unknown): Promise<unknown> {
  const fn = await loadTask(task);
  return fn(input as never);
}

function importModule(url: string): Promise<Record<string, unknown>> {
  return import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>;
}

/**
 * In Node, maps `file:///x.js` to `file:///x.ts` when only the TypeScript source exists (tests
 * and `tsx` run the sources, but modules name their siblings with the `.js` they compile to).
 */
export async function resolveModuleUrl(url: string): Promise<string> {
  if (!url.startsWith('file:') || !url.endsWith('.js') || !isNode()) return url;
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  if (existsSync(fileURLToPath(url))) return url;
  const source = url.slice(0, -'.js'.length) + '.ts';
  return existsSync(fileURLToPath(source)) ? source : url;
}

/** True in Node.js (worker_threads available), false in browsers. */
export function isNode(): boolean {
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof process?.versions?.node === 'string';
}
