// The HTTP API of `typedlearn serve`: answers that match the model run directly, and every
// way a request can be refused, as JSON, without the server going down.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { classifierOf, integerLabels, type SavedModel } from '@typedlearn/classifiers';
import { loadModel } from '@typedlearn/classifiers/node';
import { prepareDigitImage } from '@typedlearn/data';
import { decodeImage } from '@typedlearn/io/node';
import { Tensor } from '@typedlearn/tensor';
import { startDigitServer, type DigitServer, type ErrorBody } from '@typedlearn/cli/serve';
import { drawnDigitPng, invertedDigitJpeg } from '../../../tools/pictures.js';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import {
  parseRawResponse,
  postJson,
  rawExchange,
  send,
  streamUntilAnswered,
  type Reply,
} from './helpers/serve-http.js';

let saved: SavedDigitModel;
let model: SavedModel;
let server: DigitServer;
let api: string;
const digits = testDigits(6);

beforeAll(async () => {
  saved = await saveDigitModel(1000, 10, { testAccuracy: 0.875 });
  model = await loadModel(saved.path);
  server = await startDigitServer({
    modelBytes: saved.bytes,
    modelName: 'forest.safetensors',
    port: 0,
    webDemo: new Map([
      [
        '/',
        {
          contentType: 'text/html; charset=utf-8',
          body: Buffer.from('<!doctype html><title>t</title>'),
        },
      ],
    ]),
  });
  api = `${server.url}api/`;
});

afterAll(async () => {
  await server?.close();
  await saved?.remove();
});

/** The model's own answer for prepared features, computed without the server. */
function expected(features: Float32Array): { label: number; probabilities: number[] } {
  const X = new Tensor(features, [1, 784]);
  const proba = classifierOf(model).predictProba!(X);
  return {
    label: integerLabels(model.predict(X))[0],
    probabilities: Array.from({ length: 10 }, (_, k) => proba.get(0, k)),
  };
}

function expectError(reply: Reply, status: number, message: RegExp): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = reply.json<ErrorBody>();
  expect(body.status).toBe(status);
  expect(body.error.length).toBeGreaterThan(0);
  expect(body.message).toMatch(message);
}

describe('answers', () => {
  it('reports health and the model, with the test accuracy the file records', async () => {
    const health = await send(`${api}health`);
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', model: 'forest' });

    const summary = (await send(`${api}model`)).json();
    expect(summary).toMatchObject({
      file: 'forest.safetensors',
      bytes: saved.bytes.length,
      type: 'forest',
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      preprocessing: [],
      answers: 'probabilities',
      testAccuracy: 0.875,
    });
    expect(summary.params).toMatchObject({ nEstimators: 10, maxFeatures: 'sqrt' });
  });

  it('serves the model file byte for byte, and the page', async () => {
    const file = await send(`${server.url}model.safetensors`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(new Uint8Array(file.body)).toEqual(saved.bytes);
    const page = await send(server.url);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('<title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const head = await send(server.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('reads 784 pixels in [0, 1] as they are, and in [0, 255] scaled by 1/255', async () => {
    for (const pixels of digits.pixels) {
      const features = Float32Array.from(pixels, (v) => v / 255);
      const want = expected(features);
      const unit = await postJson(`${api}predict`, { pixels: Array.from(features) });
      expect(unit.status).toBe(200);
      const answer = unit.json<{ label: number; probabilities: number[]; scores: null }>();
      expect(answer.label).toBe(want.label);
      expect(answer.scores).toBeNull();
      expect(answer).toHaveProperty('classes', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(answer.probabilities).toHaveLength(10);
      answer.probabilities.forEach((p, k) => expect(p).toBeCloseTo(want.probabilities[k], 6));
      expect(answer.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const bytes = await postJson(`${api}predict`, { pixels: Array.from(pixels) });
      expect(bytes.json()).toEqual(answer);
    }
  });

  it('reads PNG and JPEG bodies like `typedlearn predict` does, and mostly right', async () => {
    let right = 0;
    for (const [i, pixels] of digits.pixels.entries()) {
      for (const [type, picture] of [
        ['image/png', drawnDigitPng(pixels)],
        ['image/jpeg', invertedDigitJpeg(pixels)],
      ] as const) {
        const reply = await send(`${api}predict`, {
          method: 'POST',
          headers: { 'Content-Type': type },
          body: picture,
        });
        expect(reply.status).toBe(200);
        const want = expected(prepareDigitImage(decodeImage(picture, 'picture')));
        expect(reply.json()).toMatchObject({ label: want.label });
        if (want.label === digits.labels[i]) right++;
      }
    }
    expect(right).toBeGreaterThanOrEqual(9); // of 12; the model reaches about 85% on MNIST
  });

  it('answers a batch in order, mixing pixels, base64 pictures and data URLs', async () => {
    const [a, b, c] = digits.pixels;
    const png = Buffer.from(drawnDigitPng(b)).toString('base64');
    const jpeg = Buffer.from(invertedDigitJpeg(c)).toString('base64');
    const reply = await postJson(`${api}predict`, {
      images: [
        { pixels: Array.from(a) },
        { image: png },
        { image: `data:image/jpeg;base64,${jpeg}` },
      ],
    });
    expect(reply.status).toBe(200);
    const singles = await Promise.all([
      postJson(`${api}predict`, { pixels: Array.from(a) }),
      postJson(`${api}predict`, { image: png }),
      postJson(`${api}predict`, { image: jpeg }),
    ]);
    const { classes, ...first } = singles[0].json<{ classes: number[] }>();
    expect(reply.json()).toEqual({
      classes,
      predictions: singles.map((single) => ({ ...single.json(), classes: undefined })),
    });
    expect(first).toHaveProperty('label');
  });
});

describe('refusals', () => {
  const blankPng = (): Uint8Array => {
    const png = new PNG({ width: 40, height: 40 });
    png.data.fill(255);
    return PNG.sync.write(png);
  };
  /** A valid PNG signature and IHDR declaring `side` x `side` pixels, and nothing more. */
  const hugePngHeader = (side: number): Uint8Array => {
    const bytes = Buffer.from(drawnDigitPng(digits.pixels[0]).subarray(0, 33));
    bytes.writeUInt32BE(side, 16);
    bytes.writeUInt32BE(side, 20);
    return bytes;
  };
  const pixels = Array.from(digits.pixels[0]);

  it.each([
    ['invalid JSON', '{"pixels": [1, 2', /not valid JSON/],
    ['a JSON array', '[1, 2, 3]', /exactly one key.*got an array/],
    [
      'an unknown key',
      '{"pixel": [1]}',
      /exactly one key, \{ "pixels": \.\.\. \}.*got keys "pixel"/,
    ],
    ['two keys', JSON.stringify({ pixels, image: 'AAAA' }), /exactly one key/],
    ['too few pixels', '{"pixels": [0, 1]}', /784 numbers.*got 2 values/],
    [
      'a pixel that is text',
      JSON.stringify({ pixels: ['1', ...pixels.slice(1)] }),
      /"pixels"\[0\] is "1"/,
    ],
    ['a negative pixel', JSON.stringify({ pixels: [...pixels.slice(1), -1] }), /\[783\] is -1/],
    ['a pixel over 255', JSON.stringify({ pixels: [256, ...pixels.slice(1)] }), /\[0\] is 256/],
    ['pixels that are null', '{"pixels": null}', /784 numbers.*got null/],
    [
      'an image that is not base64',
      '{"image": "not base64!"}',
      /"image" must be a PNG or JPEG file in base64/,
    ],
    [
      'an image that is neither format',
      JSON.stringify({ image: Buffer.from('GIF89a...').toString('base64') }),
      /neither a PNG nor a JPEG/,
    ],
    ['an empty batch', '{"images": []}', /1 to 256 objects/],
    [
      'a batch that is too long',
      JSON.stringify({ images: Array.from({ length: 257 }, () => ({ pixels: [] })) }),
      /1 to 256 objects/,
    ],
    [
      'a bad batch item',
      JSON.stringify({ images: [{ pixels }, { pixels: [0] }] }),
      /^images\[1\]: "pixels" must be/,
    ],
    [
      'a batch item with images',
      JSON.stringify({ images: [{ images: [] }] }),
      /^images\[0\] must be an object with exactly one key/,
    ],
  ])('400 for %s', async (_case, body, message) => {
    const reply = await send(`${api}predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body,
    });
    expectError(reply, 400, message);
  });

  it('400 for pictures that cannot be read: corrupt, blank, or not the type declared', async () => {
    const png = drawnDigitPng(digits.pixels[0]);
    const post = (type: string, body: Uint8Array) =>
      send(`${api}predict`, { method: 'POST', headers: { 'Content-Type': type }, body });
    expectError(await post('image/png', png.subarray(0, 60)), 400, /not a readable PNG/);
    expectError(await post('image/png', blankPng()), 400, /has no ink/);
    expectError(
      await post('image/jpeg', png),
      400,
      /Content-Type is image\/jpeg but the request body is a image\/png/,
    );
    expectError(await post('image/png', new Uint8Array(0)), 400, /neither a PNG nor a JPEG.*empty/);
    const blankInBatch = await postJson(`${api}predict`, {
      images: [
        { pixels: Array.from(digits.pixels[0]) },
        { image: Buffer.from(blankPng()).toString('base64') },
      ],
    });
    expectError(blankInBatch, 400, /^images\[1\]: the image has no ink/);
  });

  it('413 for a picture over the pixel budget, before decoding it', async () => {
    const reply = await send(`${api}predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: hugePngHeader(20_000),
    });
    expectError(reply, 413, /20000 x 20000 picture; this server decodes at most 16000000 pixels/);
  });

  it('415 for a body of another type, or of no declared type', async () => {
    const text = await send(`${api}predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'seven',
    });
    expectError(text, 415, /image\/png, image\/jpeg, application\/json; got text\/plain/);
    const none = await send(`${api}predict`, { method: 'POST', body: '{}' });
    expectError(none, 415, /got none/);
  });

  it('404 for an unknown path and 405 (with Allow) for a wrong method', async () => {
    expectError(await send(`${server.url}predict`), 404, /nothing at \/predict/);
    expectError(await send(`${server.url}/`), 404, /nothing at \/\//);
    expectError(await send(`${api}health/?x=1`), 404, /nothing at \/api\/health\//);
    expect((await send(`${api}health?probe=1`)).status).toBe(200);
    const get = await send(`${api}predict`);
    expectError(get, 405, /answers POST, not GET/);
    expect(get.headers.allow).toBe('POST');
    const post = await send(`${api}health`, { method: 'POST', body: '{}' });
    expectError(post, 405, /answers GET, HEAD, not POST/);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('413 from Content-Length alone, before any of the body is sent', async () => {
    const { port } = new URL(server.url);
    const raw = await rawExchange(
      Number(port),
      'POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${2 ** 20 + 1}\r\n\r\n`,
    );
    const { status, body } = parseRawResponse(raw);
    expect(status).toBe(413);
    expect(body.message).toMatch(/1048577 bytes; this server accepts at most 1048576 bytes/);
  });

  it('413 for a streamed body as soon as it passes the limit, which is not read further', async () => {
    const { reply, bytesSent } = await streamUntilAnswered(
      `${api}predict`,
      { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      64 * 1024,
      64 * 2 ** 20,
    );
    expectError(reply, 413, /more than 1048576 bytes/);
    expect(reply.headers.connection).toBe('close');
    expect(bytesSent).toBeLessThan(16 * 2 ** 20); // it stopped far short of the 64 MiB on offer
  });

  it('400 as JSON for malformed HTTP', async () => {
    const { port } = new URL(server.url);
    const { status, body } = parseRawResponse(await rawExchange(Number(port), 'HELLO\r\n\r\n'));
    expect(status).toBe(400);
    expect(body.message).toMatch(/malformed HTTP request/);
  });

  it('is still healthy after all of that', async () => {
    expect((await send(`${api}health`)).status).toBe(200);
  });
});

describe('timeouts and shutdown', () => {
  it('408 as JSON when the headers or the body arrive too slowly', async () => {
    const slow = await startDigitServer({
      modelBytes: saved.bytes,
      modelName: 'forest.safetensors',
      port: 0,
      requestTimeoutMs: 400,
      headersTimeoutMs: 200,
    });
    try {
      const port = Number(new URL(slow.url).port);
      const headers = parseRawResponse(
        await rawExchange(port, ['POST /api/predict HTTP/1.1\r\n', 'Host: x\r\n'], 600),
      );
      expect(headers.status).toBe(408);
      expect(headers.body.message).toMatch(/headers must arrive within 200 ms/);
      const body = parseRawResponse(
        await rawExchange(port, [
          'POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"pix',
        ]),
      );
      expect(body.status).toBe(408);
      expect(body.body.message).toMatch(/whole request within 400 ms/);
      expect((await send(`${slow.url}api/health`)).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('close() lets a request in flight finish, then refuses connections', async () => {
    const closing = await startDigitServer({
      modelBytes: saved.bytes,
      modelName: 'forest.safetensors',
      port: 0,
    });
    const body = JSON.stringify({ pixels: Array.from(digits.pixels[0]) });
    const answer = new Promise<Reply>((resolve, reject) => {
      const req = request(
        `${closing.url}api/predict`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Content-Length': body.length },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              json: () => JSON.parse(Buffer.concat(chunks).toString()),
            }),
          );
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 100));
      // The server has the headers and part of the body when it is told to close.
      setTimeout(() => {
        closed = closing.close();
        setTimeout(() => req.end(body.slice(100)), 100);
      }, 100);
    });
    let closed: Promise<void> | undefined;
    const reply = await answer;
    expect(reply.status).toBe(200);
    expect(reply.headers.connection).toBe('close');
    expect(reply.json()).toMatchObject({
      label: expected(Float32Array.from(digits.pixels[0], (v) => v / 255)).label,
    });
    await closed;
    await expect(send(`${closing.url}api/health`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
