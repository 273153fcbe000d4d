// `typedlearn serve` as a child process, run from its TypeScript sources as `pnpm typedlearn`
// does: its URL once it listens, what it writes (the access log on stdout, the rest on
// stderr), and its exit.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AccessLogEntry } from '@typedlearn/cli/serve';

const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** How a process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `typedlearn serve`. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** Where it listens, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** The access log so far: the stdout lines that are JSON objects, parsed. */
  accessLog(): AccessLogEntry[];
  /** Resolves with the access log once it has at least `lines` lines. */
  accessLogLines(lines: number): Promise<AccessLogEntry[]>;
  /** Resolves with the match once stderr matches `pattern`. */
  stderrMatch(pattern: RegExp): Promise<RegExpExecArray>;
  exit: Promise<Exit>;
  /** Sends SIGTERM (unless it has exited) and resolves with its exit. */
  stop(): Promise<Exit>;
}

/** Starts `typedlearn serve --port 0 ...args` and resolves once it prints its URL. */
export function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=typedlearn-source',
      '--import',
      TSX_LOADER,
      BIN,
      'serve',
      '--port',
      '0',
      ...args,
    ],
    { env: { ...process.env, CI: 'true' } },
  );
  let stdout = '';
  let stderr = '';
  /** Checks run again whenever the child writes something. */
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
    for (const check of waiters) check();
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
    for (const check of waiters) check();
  });
  /** Resolves with the first value `read` gives that is not undefined. */
  const until = <T>(read: () => T | undefined): Promise<T> =>
    new Promise((resolve) => {
      const check = (): void => {
        const value = read();
        if (value === undefined) return;
        waiters.delete(check);
        resolve(value);
      };
      waiters.add(check);
      check();
    });
  // Whole lines only: the last may still be arriving.
  const accessLog = (): AccessLogEntry[] =>
    stdout
      .slice(0, stdout.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AccessLogEntry);
  let exited: Exit | undefined;
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve((exited = { code, signal }))),
  );
  const serveProcess = (url: string): ServeProcess => ({
    child,
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    accessLog,
    accessLogLines: (lines) =>
      until(() => {
        const log = accessLog();
        return log.length >= lines ? log : undefined;
      }),
    stderrMatch: (pattern) => until(() => pattern.exec(stderr) ?? undefined),
    exit,
    stop: () => {
      if (exited === undefined) child.kill('SIGTERM');
      return exit;
    },
  });
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout)?.[1];
      if (url === undefined) return;
      child.stdout.off('data', onData);
      resolve(serveProcess(url));
    };
    child.stdout.on('data', onData);
    void exit.then(({ code }) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}
