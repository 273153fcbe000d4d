import { basename } from 'node:path';
import { readModelFile } from '@typedlearn/classifiers/node';
import { TypedlearnError } from '@typedlearn/tensor';
import { DigitPredictor } from './digit-predictor.js';
import { startDigitServer, type DigitServer } from './server.js';
import { loadWebDemo } from './web-demo.js';

/** The options of `typedlearn serve`, as parsed. */
export interface ServeOptions {
  model: string;
  host: string;
  port: number;
  /** Bytes. */
  bodyLimit: number;
  /** Seconds. */
  requestTimeout: number;
}

/**
 * `typedlearn serve`: serves the model until SIGINT (Ctrl-C) or SIGTERM, then stops
 * gracefully, answering the requests in flight first; a second signal cuts them off.
 */
export async function serve(options: ServeOptions): Promise<void> {
  const modelBytes = await readModelFile(options.model);
  // Checked before the page is bundled, so that a bad model file is reported at once.
  DigitPredictor.fromBytes(modelBytes, options.model);
  const webDemo = await loadWebDemo();
  let server: DigitServer;
  try {
    server = await startDigitServer({
      modelBytes,
      modelName: basename(options.model),
      webDemo,
      host: options.host,
      port: options.port,
      bodyLimit: options.bodyLimit,
      requestTimeoutMs: options.requestTimeout * 1000,
    });
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
  const type = server.predictor.file.model.modelType;
  process.stdout.write(
    `serving the ${type} model ${options.model} at ${server.url}\n` +
      `  drawing page: ${server.url}\n  API: POST ${server.url}api/predict, GET ${server.url}api/health, GET ${server.url}api/model\n` +
      'Press Ctrl-C to stop.\n',
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals): void => {
      process.off('SIGINT', stop).off('SIGTERM', stop);
      resolve(received);
    };
    process.on('SIGINT', stop).on('SIGTERM', stop);
  });
  process.stderr.write(
    `${signal}: answering the requests in flight, then stopping (signal again to stop at once)\n`,
  );
  const cutOff = (): void => server.server.closeAllConnections();
  process.once('SIGINT', cutOff).once('SIGTERM', cutOff);
  await server.close();
  process.off('SIGINT', cutOff).off('SIGTERM', cutOff);
  process.stderr.write('stopped\n');
}
