// `typedlearn serve`: its options and refusals (run in this process), and, as a child process,
// a graceful stop on SIGTERM or SIGINT that still answers the request in flight.
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from '../src/program.js';
import { words } from './helpers/cli.js';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { send } from './helpers/serve-http.js';
import { startServe } from './helpers/serve-process.js';

let saved: SavedDigitModel;

beforeAll(async () => {
  saved = await saveDigitModel(300, 3);
});
afterAll(() => saved?.remove());

/** `typedlearn ...args` run in this process, with what it wrote to stdout and stderr. */
async function runInProcess(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await runCli(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

it('documents its options', async () => {
  const help = await runInProcess(['serve', '--help']);
  expect(help.code).toBe(0);
  for (const flag of [
    '--model <file>',
    '--host <host>',
    '--port <port>',
    '--body-limit <size>',
    '--request-timeout <seconds>',
    '--workers <count>',
    '--cors <origins>',
    '--no-access-log',
  ]) {
    expect(help.stdout).toContain(flag);
  }
  expect(help.stdout).toContain('POST /api/predict');
  // Each default is shown once, as commander appends it.
  expect(help.stdout.match(/\(default: 1mb\)/g)).toHaveLength(1);
  expect(help.stdout).not.toContain('1048576)');
  expect((await runInProcess(['--help'])).stdout).toMatch(/serve/);
});

it.each([
  ['serve', /required option '--model <file>' not specified/],
  [
    'serve --model m --port 70000',
    /'--port <port>' argument '70000' is invalid. Expected an integer from 0 to 65535/,
  ],
  [
    'serve --model m --body-limit 0',
    /'--body-limit <size>' argument '0' is invalid. Expected a size from 1 byte/,
  ],
  ['serve --model m --body-limit lots', /argument 'lots' is invalid. Expected a size/],
  [
    'serve --model m --request-timeout -1',
    /argument '-1' is invalid. Expected a number of seconds > 0/,
  ],
  [
    'serve --model m --workers 0',
    /'--workers <count>' argument '0' is invalid. Expected an integer from 1 to 256/,
  ],
  [
    'serve --model m --cors https://a.example,example.com/',
    /'example.com\/' is not an origin. Expected \* or origins such as https:\/\/example.com/,
  ],
  [
    'serve --model a/m.safetensors --model b/m.safetensors',
    /--model a\/m.safetensors and --model b\/m.safetensors would both be served as 'm'/,
  ],
])('exits with 2 for `%s`', async (line, message) => {
  const result = await runInProcess(words(line));
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
});

it('exits with 1 for a missing model file or a file that is not a model', async () => {
  const notAModel = join(dirname(saved.path), 'notes.safetensors');
  await writeFile(notAModel, 'hello');
  const missing = await runInProcess([
    'serve',
    '--model',
    join(dirname(saved.path), 'nothing.safetensors'),
  ]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/cannot load model .*nothing\.safetensors: no such file/);
  const corrupt = await runInProcess(['serve', '--model', notAModel]);
  expect(corrupt.code).toBe(1);
  expect(corrupt.stderr).toMatch(/notes\.safetensors/);
});

it.concurrent('on SIGTERM answers the request in flight, then exits with 0', async () => {
  const serve = await startServe(['--model', saved.path]);
  const body = JSON.stringify({ pixels: Array.from(testDigits(1).pixels[0]) });
  const answered = new Promise<{ status: number; connection?: string; body: string }>(
    (resolve, reject) => {
      const req = request(
        `${serve.url}api/predict`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': body.length },
          agent: false,
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += String(chunk)));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              connection: res.headers.connection,
              body: text,
            }),
          );
        },
      );
      req.on('error', reject);
      // Half the body now; the rest only after the server has been told to stop.
      req.write(body.slice(0, body.length >> 1), () => {
        setTimeout(() => {
          serve.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(body.length >> 1)), 300);
        }, 100);
      });
    },
  );
  const reply = await answered;
  expect(reply.status).toBe(200);
  expect(reply.connection).toBe('close');
  expect(JSON.parse(reply.body)).toHaveProperty('label');
  expect(await serve.exit).toEqual({ code: 0, signal: null });
  expect(serve.stderr()).toMatch(/SIGTERM: answering the requests in flight[\s\S]*stopped/);
});

it.concurrent('on SIGINT (Ctrl-C) with nothing in flight stops at once, with 0', async () => {
  const serve = await startServe(['--model', saved.path]);
  expect((await send(`${serve.url}api/health`)).status).toBe(200);
  serve.child.kill('SIGINT');
  expect(await serve.exit).toEqual({ code: 0, signal: null });
});
