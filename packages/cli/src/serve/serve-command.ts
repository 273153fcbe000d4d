import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { integerIn } from '../option-values.js';
import type { ServeOptions } from './serve.js';

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 2 ** 10, mb: 2 ** 20 };

/** `--body-limit`: bytes, as a plain count or with a unit, e.g. 1048576, 512kb, 2mb. */
function byteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb)?\s*$/i.exec(text);
  const bytes =
    match === null
      ? NaN
      : Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()]);
  if (!(bytes >= 1 && bytes <= 2 ** 30)) {
    throw new InvalidArgumentError(
      'Expected a size from 1 byte to 1024mb, e.g. 1048576, 512kb or 2mb.',
    );
  }
  return bytes;
}

/** `--request-timeout`: seconds, > 0. */
function seconds(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || !(value > 0)) {
    throw new InvalidArgumentError('Expected a number of seconds > 0, e.g. 30 or 2.5.');
  }
  return value;
}

/** `--model`, repeatable: the files in order. */
function collectFile(file: string, previous: string[] = []): string[] {
  return [...previous, file];
}

/** `--cors`, repeatable and comma-separated: `*`, or origins such as `https://example.com`. */
function collectOrigins(text: string, previous: string[] = []): string[] {
  const origins = text.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    if (origin !== '*' && !isOrigin(origin)) {
      throw new InvalidArgumentError(
        `'${origin}' is not an origin. Expected * or origins such as https://example.com or ` +
          'http://localhost:3000 (scheme, host and port only), separated by commas.',
      );
    }
  }
  return [...previous, ...origins];
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

export function addServeCommand(program: Command): void {
  const cores = availableParallelism();
  program
    .command('serve')
    .description(
      'Serve a model over HTTP: a JSON prediction API, and a page at / to draw digits on, where the model runs in the browser.',
    )
    .requiredOption(
      '--model <file>',
      'a model file written by `typedlearn train`; repeat it to serve several: the first is the default, ?model=NAME picks another (NAME: its file name without the extension)',
      collectFile,
    )
    .option('--host <host>', 'interface to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one', integerIn(0, 65535), 8080)
    .addOption(
      new Option('--body-limit <size>', 'largest request body, e.g. 1048576, 512kb or 2mb')
        .argParser(byteSize)
        .default(2 ** 20, '1mb'),
    )
    .option('--request-timeout <seconds>', 'time a whole request may take to arrive', seconds, 30)
    .addOption(
      new Option(
        '--workers <count>',
        'server processes sharing the port (1: this process alone); a slow request holds up one worker only',
      )
        .argParser(integerIn(1, 256))
        .default(cores, `the number of cores, ${cores}`),
    )
    .option(
      '--cors <origins>',
      'let pages from these origins call the API (repeatable or comma-separated; * for any)',
      collectOrigins,
    )
    .option('--no-access-log', 'do not write the access log (one JSON line per request on stdout)')
    .addHelpText(
      'after',
      '\nEndpoints: POST /api/predict[?model=NAME] (image/png, image/jpeg or JSON), GET /api/health,\n' +
        'GET /api/ready (503 while stopping), GET /api/model[?model=NAME], GET /api/models, GET /metrics\n' +
        '(Prometheus), GET /models/NAME and GET /model.safetensors (the model files), and the drawing\n' +
        'page at GET /. Ctrl-C (or SIGTERM) stops it after the requests in flight are answered.\n\n' +
        'Example:\n  typedlearn serve --model models/best.safetensors --port 8080\n' +
        "  curl -s -H 'Content-Type: image/png' --data-binary @seven.png http://127.0.0.1:8080/api/predict",
    )
    .action(async (options: ServeOptions) => {
      const { serve } = await import('./serve.js');
      await serve(options);
    });
}
