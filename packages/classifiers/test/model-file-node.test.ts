import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Pipeline, StandardScaler } from '@typedlearn/data';
import { FormatError, TypedlearnError } from '@typedlearn/tensor';
import { SoftmaxRegression, registerModel, type Classifier } from '../src/index.js';
import { loadModel, saveModel } from '../src/model-file/node.js';
import { blobs } from './helpers/conformance.js';
import { NEAREST_CENTROID_ENTRY, NearestCentroid } from './helpers/nearest-centroid.js';

// Lets one test make the write of the temporary file fail half-way, as a full disk would.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open) };
});

registerModel(NEAREST_CENTROID_ENTRY);

describe('saveModel / loadModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'typedlearn-model-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a pipeline through a file with identical predictions', async () => {
    const { X, y } = blobs(5);
    const pipeline = await new Pipeline<Classifier>(
      [new StandardScaler()],
      new NearestCentroid(),
    ).fit(X, y);
    const path = join(dir, 'pipeline.safetensors');
    await saveModel(pipeline, path);
    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(Pipeline);
    expect(Array.from(loaded.predict(X))).toEqual(Array.from(pipeline.predict(X)));
    expect(await readdir(dir)).toEqual(['pipeline.safetensors']);
  });

  it('loads the class it is given, and refuses a file that holds another', async () => {
    const { X, y } = blobs();
    const path = join(dir, 'centroid.safetensors');
    await saveModel(await new NearestCentroid({ shift: 0.5 }).fit(X, y), path);
    const model: NearestCentroid = await loadModel(path, NearestCentroid);
    expect(model).toBeInstanceOf(NearestCentroid);
    expect(model.params.shift).toBe(0.5);
    await expect(loadModel(path, SoftmaxRegression)).rejects.toThrow(
      new RegExp(`${path} holds a NearestCentroid, expected a SoftmaxRegression`),
    );
    const piped = join(dir, 'piped.safetensors');
    await saveModel(
      await new Pipeline([new StandardScaler()], new NearestCentroid()).fit(X, y),
      piped,
    );
    await expect(loadModel(piped, NearestCentroid)).rejects.toThrow(
      /holds a Pipeline ending in NearestCentroid \(load it without a class/,
    );
  });

  it('creates missing parent folders', async () => {
    const { X, y } = blobs(5);
    const model = await new NearestCentroid().fit(X, y);
    const path = join(dir, 'new', 'deeper', 'model.safetensors');
    await saveModel(model, path);
    expect(Array.from((await loadModel(path)).predict(X))).toEqual(Array.from(model.predict(X)));
    expect(await readdir(join(dir, 'new', 'deeper'))).toEqual(['model.safetensors']);
  });

  it('replaces an existing file only once the new one is complete', async () => {
    const { X, y } = blobs(5);
    const path = join(dir, 'replace.safetensors');
    const first = await new NearestCentroid({ shift: 1 }).fit(X, y);
    await saveModel(first, path);
    const before = await readFile(path);

    const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
    vi.mocked(fs.open).mockImplementationOnce(async (...args: Parameters<typeof fs.open>) => {
      const handle = await actual.open(...args);
      handle.writeFile = async (data) => {
        await actual.appendFile(args[0], (data as Uint8Array).subarray(0, 10));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
        });
      };
      return handle;
    });
    const second = await new NearestCentroid({ shift: 2 }).fit(X, y);
    await expect(saveModel(second, path)).rejects.toThrow(
      new TypedlearnError(`cannot save model ${path}: ENOSPC: no space left on device, write`),
    );

    expect(await readFile(path)).toEqual(before);
    expect((await readdir(dir)).filter((name) => name.startsWith('.replace'))).toEqual([]);
    expect(((await loadModel(path)) as Classifier).params).toEqual({ shift: 1 });

    await saveModel(second, path);
    expect(((await loadModel(path)) as Classifier).params).toEqual({ shift: 2 });
  });

  it('says which file is missing, is a directory, or is not a model', async () => {
    const missing = join(dir, 'missing.safetensors');
    await expect(loadModel(missing)).rejects.toThrow(
      new FormatError(`cannot load model ${missing}: no such file`),
    );
    const folder = join(dir, 'folder.safetensors');
    await mkdir(folder);
    await expect(loadModel(folder)).rejects.toThrow(/folder.safetensors: it is a directory/);
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'hello, this is not a model');
    await expect(loadModel(text)).rejects.toThrow(
      /notes.txt is not a valid safetensors file: the header length is \d+ bytes, more than the limit/,
    );
  });

  it('fails to save under a path whose parent is a file, leaving nothing behind', async () => {
    const { X, y } = blobs(5);
    const model = await new NearestCentroid().fit(X, y);
    const parent = join(dir, 'plain-file');
    await writeFile(parent, 'not a folder');
    const path = join(parent, 'm.safetensors');
    await expect(saveModel(model, path)).rejects.toThrow(
      new RegExp(`^cannot save model ${path}: (EEXIST|ENOTDIR)`),
    );
    expect(await readFile(parent, 'utf8')).toBe('not a folder');
  });
});
