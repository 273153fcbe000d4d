import { startDigitServer } from './server.js';
import type { WorkerSettings } from './cluster-messages.js';

/** A running `typedlearn serve`: one process, or a primary and its workers. */
export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080/`. */
  url: string;
  /** Stops gracefully, answering the requests in flight first; resolves once stopped. */
  close(): Promise<void>;
  /** Cuts the connections still open (a second Ctrl-C during {@link close}). */
  cutOff(): void;
  /** Rejects if the server fails while running (workers that keep crashing); never resolves. */
  failed: Promise<never>;
}

/** The server in this process alone (`--workers 1`). */
export async function startInProcess(settings: WorkerSettings): Promise<RunningServer> {
  const server = await startDigitServer(settings);
  return {
    url: server.url,
    close: () => server.close(),
    cutOff: () => server.server.closeAllConnections(),
    failed: new Promise<never>(() => undefined),
  };
}
