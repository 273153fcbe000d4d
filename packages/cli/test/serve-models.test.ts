// Several models in one server: the first is the default, `?model=NAME` picks another (NAME:
// the file name without its extension), `GET /api/models` lists them and `GET /models/NAME`
// serves each file.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DigitPredictor,
  startDigitServer,
  type DigitServer,
  type ErrorBody,
  type ModelSummary,
} from '@typedlearn/cli/serve';
import { saveDigitModel, testDigits, type SavedDigitModel } from './helpers/serve-fixtures.js';
import { postJson, send } from './helpers/serve-http.js';

let big: SavedDigitModel;
let small: SavedDigitModel;
let server: DigitServer;
const digits = testDigits(5);

beforeAll(async () => {
  [big, small] = await Promise.all([saveDigitModel(400, 4), saveDigitModel(100, 1)]);
  server = await startDigitServer({
    modelBytes: big.bytes,
    modelName: 'forest.safetensors',
    moreModels: [{ fileName: 'stump.safetensors', bytes: small.bytes }],
    port: 0,
  });
});

afterAll(async () => {
  await server?.close();
  await big?.remove();
  await small?.remove();
});

it('lists the models, the default first', async () => {
  const reply = await send(`${server.url}api/models`);
  expect(reply.status).toBe(200);
  const { models } = reply.json<{
    models: { name: string; type: string; default: boolean; file: string; summary: ModelSummary }[];
  }>();
  expect(
    models.map(({ name, type, default: isDefault, file }) => ({ name, type, isDefault, file })),
  ).toEqual([
    { name: 'forest', type: 'forest', isDefault: true, file: '/models/forest' },
    { name: 'stump', type: 'forest', isDefault: false, file: '/models/stump' },
  ]);
  expect(models[1].summary).toMatchObject({
    file: 'stump.safetensors',
    params: { nEstimators: 1 },
  });
});

it('answers with the model ?model= names, and with the default without one', async () => {
  const predictors = {
    forest: DigitPredictor.fromBytes(big.bytes),
    stump: DigitPredictor.fromBytes(small.bytes),
  };
  let modelsDisagree = false; // so that answering with the wrong model could not pass
  for (const pixels of digits.pixels) {
    const features = Float32Array.from(pixels, (v) => v / 255);
    const [forest, stump] = [predictors.forest, predictors.stump].map(
      (p) => p.predict([features])[0],
    );
    modelsDisagree ||= JSON.stringify(forest) !== JSON.stringify(stump);
    for (const [query, name] of [
      ['', 'forest'],
      ['?model=forest', 'forest'],
      ['?model=stump', 'stump'],
    ] as const) {
      const reply = await postJson(`${server.url}api/predict${query}`, {
        pixels: Array.from(pixels),
      });
      expect(reply.status).toBe(200);
      expect(reply.json()).toMatchObject(name === 'forest' ? forest : stump);
    }
  }
  expect(modelsDisagree).toBe(true);
});

it('describes each model at /api/model?model=NAME and serves its file at /models/NAME', async () => {
  expect((await send(`${server.url}api/model`)).json<ModelSummary>().file).toBe(
    'forest.safetensors',
  );
  expect((await send(`${server.url}api/model?model=stump`)).json<ModelSummary>().file).toBe(
    'stump.safetensors',
  );
  for (const [path, bytes, fileName] of [
    ['models/forest', big.bytes, 'forest.safetensors'],
    ['model.safetensors', big.bytes, 'forest.safetensors'],
    ['models/stump', small.bytes, 'stump.safetensors'],
  ] as const) {
    const reply = await send(`${server.url}${path}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="${fileName}"`);
    expect(new Uint8Array(reply.body)).toEqual(bytes);
  }
});

it('404 for a model it does not have, naming those it has', async () => {
  for (const path of ['api/predict?model=mlp', 'api/model?model=mlp']) {
    const reply = path.startsWith('api/predict')
      ? await postJson(`${server.url}${path}`, { pixels: Array.from(digits.pixels[0]) })
      : await send(`${server.url}${path}`);
    expect(reply.status).toBe(404);
    expect(reply.json<ErrorBody>().message).toBe(
      "no model named 'mlp': this server has 'forest', 'stump' (GET /api/models lists them)",
    );
  }
  expect((await send(`${server.url}models/mlp`)).status).toBe(404);
});

it('refuses two models that would have the same name', async () => {
  await expect(
    startDigitServer({
      modelBytes: big.bytes,
      modelName: 'forest.safetensors',
      moreModels: [{ fileName: 'forest.bin', bytes: small.bytes }],
      port: 0,
    }),
  ).rejects.toThrow(
    "two models would both be served as 'forest' (forest.safetensors and forest.bin): a model is named after its file name without the extension, so give the files different names",
  );
});
