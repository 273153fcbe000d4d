import { basename } from 'node:path';
import { readModelFile } from '@typedlearn/classifiers/node';
import { TypedlearnError } from '@typedlearn/tensor';
import { UsageError } from '../usage-error.js';
import { startWorkers } from './cluster-primary.js';
import type { WorkerSettings } from './cluster-messages.js';
import { DigitPredictor } from './digit-predictor.js';
import { startInProcess, type RunningServer } from './running-server.js';
import { sameNamedFiles, servedModelName } from './served-models.js';
import { loadWebDemo } from './web-demo.js';

/** The options of `typedlearn serve`, as parsed. */
export interface ServeOptions {
  /** Model files, the default first. */
  model: string[];
  host: string;
  port: number;
  /** Bytes. */
  bodyLimit: number;
  /** Seconds. */
  requestTimeout: number;
  /** Server processes; 1 serves from this process, without a cluster. */
  workers: number;
  /** Origins allowed to call the API (`*` for any); undefined for no CORS. */
  cors?: string[];
  accessLog: boolean;
}

/**
 * `typedlearn serve`: serves the models until SIGINT (Ctrl-C) or SIGTERM, then stops
 * gracefully, answering the requests in flight first; a second signal cuts them off.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const clash = sameNamedFiles(options.model);
  if (clash !== undefined) {
    throw new UsageError(
      `--model ${clash[0]} and --model ${clash[1]} would both be served as ` +
        `'${servedModelName(clash[0])}' (a model is named after its file name without the extension): rename one`,
    );
  }
  const files = await Promise.all(
    options.model.map(async (path) => ({ path, bytes: await readModelFile(path) })),
  );
  // Checked before the page is bundled or workers start, so that a bad file is reported at once.
  const types = files.map(
    ({ path, bytes }) => DigitPredictor.fromBytes(bytes, path).file.model.modelType,
  );
  const [first, ...more] = files;
  const settings: WorkerSettings = {
    modelBytes: first.bytes,
    modelName: basename(first.path),
    moreModels: more.map(({ path, bytes }) => ({ fileName: basename(path), bytes })),
    webDemo: await loadWebDemo(),
    host: options.host,
    port: options.port,
    bodyLimit: options.bodyLimit,
    requestTimeoutMs: options.requestTimeout * 1000,
    accessLog: options.accessLog,
    corsOrigins: options.cors,
  };
  const server = await listen(settings, options);
  const { url } = server;
  const others = more.map(
    ({ path }, i) => `  and the ${types[i + 1]} model ${path} as ?model=${servedModelName(path)}\n`,
  );
  process.stdout.write(
    `serving the ${types[0]} model ${first.path} at ${url}\n${others.join('')}` +
      `  drawing page: ${url}\n` +
      `  API: POST ${url}api/predict, GET ${url}api/health, ${url}api/ready, ${url}api/model, ${url}api/models\n` +
      `  metrics: ${url}metrics\n` +
      `  ${options.workers === 1 ? 'one process' : `${options.workers} worker processes`}` +
      `${options.accessLog ? '; access log: one JSON line per request on stdout' : ''}\n` +
      'Press Ctrl-C to stop.\n',
  );

  const stopSignals = new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals): void => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve(received);
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
  const signal = await Promise.race([stopSignals, server.failed]);
  process.stderr.write(
    `${signal}: answering the requests in flight, then stopping (signal again to stop at once)\n`,
  );
  const cutOff = (): void => server.cutOff();
  process.once('SIGINT', cutOff).once('SIGTERM', cutOff);
  await server.close();
  process.off('SIGINT', cutOff).off('SIGTERM', cutOff);
  process.stderr.write('stopped\n');
}

/** Starts the server, in this process or in workers; an address it cannot use is a clear error. */
async function listen(settings: WorkerSettings, options: ServeOptions): Promise<RunningServer> {
  try {
    return options.workers === 1
      ? await startInProcess(settings)
      : await startWorkers(settings, options.workers);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new TypedlearnError(
        `cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    throw error;
  }
}
