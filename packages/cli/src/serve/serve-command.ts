import { InvalidArgumentError, type Command } from 'commander';
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

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve a model over HTTP: a JSON prediction API, and a page at / to draw digits on, where the model runs in the browser.',
    )
    .requiredOption('--model <file>', 'a model file written by `typedlearn train`')
    .option('--host <host>', 'interface to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--port <port>', 'port to listen on; 0 picks a free one', integerIn(0, 65535), 8080)
    .option(
      '--body-limit <size>',
      'largest request body, e.g. 1048576, 512kb or 2mb (default: 1mb)',
      byteSize,
      2 ** 20,
    )
    .option('--request-timeout <seconds>', 'time a whole request may take to arrive', seconds, 30)
    .addHelpText(
      'after',
      '\nEndpoints: POST /api/predict (image/png, image/jpeg or JSON), GET /api/health, GET /api/model,\n' +
        'GET /model.safetensors, and the drawing page at GET /. Ctrl-C (or SIGTERM) stops it after the\n' +
        'requests in flight are answered.\n\n' +
        'Example:\n  typedlearn serve --model models/best.safetensors --port 8080\n' +
        "  curl -s -H 'Content-Type: image/png' --data-binary @seven.png http://127.0.0.1:8080/api/predict",
    )
    .action(async (options: ServeOptions) => {
      const { serve } = await import('./serve.js');
      await serve(options);
    });
}
