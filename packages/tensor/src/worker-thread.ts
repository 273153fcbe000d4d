import type { TaskReply, TaskRequest } from './pool-protocol.js';
import { isNode } from './task.js';

/**
 * One pool thread, whatever the platform: a Node `worker_threads.Worker` or a browser module
 * Web Worker, both running `pool-worker`.
 */
export interface WorkerThread {
  post(request: TaskRequest, transfer: readonly Transferable[]): void;
  /** Keep the process alive while this thread has work (no-op in browsers). */
  ref(): void;
  /** Let the process exit while this thread is idle (no-op in browsers). */
  unref(): void;
  terminate(): Promise<void>;
}

/** What a thread reports back: a reply, or its own death (an uncaught error or an exit). */
export interface WorkerThreadListener {
  onReply(reply: TaskReply): void;
  onFailure(error: Error): void;
}

/** Starts threads synchronously once the platform's worker API is loaded. */
export type WorkerThreadFactory = (listener: WorkerThreadListener) => WorkerThread;

/**
 * The factory for this platform. In Node, when this module runs from its TypeScript source
 * (tests, `tsx`), each worker first loads tsx's API and imports `pool-worker.ts` through it, so
 * the worker can import `.ts` modules (with `.js` specifiers mapped to `.ts`), and it resolves
 * `@typedlearn/*` packages to their sources through the `typedlearn-source` export condition.
 * (Node 20 does not apply `--import` loaders given in a worker's `execArgv`, so tsx's API is
 * used instead.) Built code (`dist/*.js`) starts `pool-worker.js` directly, with no loader.
 */
export async function loadWorkerThreadFactory(): Promise<WorkerThreadFactory> {
  return isNode() ? loadNodeFactory() : browserFactory;
}

async function loadNodeFactory(): Promise<WorkerThreadFactory> {
  const { Worker } = await import('node:worker_threads');
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fromSource
    ? await sourceBootstrap(new URL('./pool-worker.ts', import.meta.url).href)
    : new URL('./pool-worker.js', import.meta.url);
  const execArgv = fromSource ? ['--conditions=typedlearn-source'] : undefined;
  return (listener) => {
    const worker = new Worker(script, { execArgv });
    worker.on('message', (reply: TaskReply) => listener.onReply(reply));
    worker.on('error', (error: Error) => listener.onFailure(error));
    worker.on('exit', (code) => {
      listener.onFailure(new Error(`pool worker exited unexpectedly with code ${code}`));
    });
    worker.unref();
    return {
      post: (request, transfer) => worker.postMessage(request, transfer as never),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      terminate: async () => {
        worker.removeAllListeners('exit');
        await worker.terminate();
      },
    };
  };
}

/** A `data:` module that imports the TypeScript module `entry` through tsx's `tsImport`. */
async function sourceBootstrap(entry: string): Promise<URL> {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  // tsx is a development dependency of the workspace; resolve its ESM API from its manifest.
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const api = pathToFileURL(
    join(dirname(manifestPath), manifest.exports['./esm/api'].import.default),
  );
  const code =
    `const { tsImport } = await import(${JSON.stringify(api.href)});\n` +
    `await tsImport(${JSON.stringify(entry)}, import.meta.url);\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

const browserFactory: WorkerThreadFactory = (listener) => {
  const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<TaskReply>) => listener.onReply(event.data);
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    listener.onFailure(new Error(`pool worker failed: ${event.message}`));
  };
  return {
    post: (request, transfer) => worker.postMessage(request, [...transfer]),
    ref: () => undefined,
    unref: () => undefined,
    terminate: async () => worker.terminate(),
  };
};
