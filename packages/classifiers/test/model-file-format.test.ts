import { describe, expect, it } from 'vitest';
import { Pipeline, StandardScaler } from '@typedlearn/data';
import { FormatError, Tensor, TypedlearnError, ValueError } from '@typedlearn/tensor';
import {
  MODEL_FORMAT_VERSION,
  decodeModel,
  decodeSafetensors,
  encodeModel,
  encodeSafetensors,
  modelFile,
  modelFromFile,
  registerModel,
  type Classifier,
} from '../src/index.js';
import { blobs } from './helpers/conformance.js';
import { NEAREST_CENTROID_ENTRY, NearestCentroid } from './helpers/nearest-centroid.js';

registerModel(NEAREST_CENTROID_ENTRY);

async function fittedPipeline(): Promise<Pipeline<Classifier>> {
  const { X, y } = blobs(4);
  return new Pipeline<Classifier>([new StandardScaler()], new NearestCentroid({ shift: 0.25 })).fit(
    X,
    y,
  );
}

/** The file's metadata and tensors, re-encoded after `edit` changes them. */
function rewrite(
  bytes: Uint8Array,
  edit: (metadata: Record<string, string>, tensors: Record<string, Tensor<never>>) => void,
): Uint8Array {
  const { metadata, tensors } = decodeSafetensors(bytes);
  edit(metadata, tensors as Record<string, Tensor<never>>);
  return encodeSafetensors(tensors, metadata);
}

describe('encodeModel / decodeModel', () => {
  it('stores the classifier and its preprocessing as documented', async () => {
    const pipeline = await fittedPipeline();
    const { metadata, tensors } = decodeSafetensors(
      encodeModel(modelFile(pipeline).model, modelFile(pipeline).preprocessing),
    );
    expect(metadata).toEqual({
      format_version: String(MODEL_FORMAT_VERSION),
      model_type: 'nearest-centroid',
      params: '{"shift":0.25}',
      classes: '[2,5,9]',
      n_features: '6',
      info: '{}',
      preprocessing:
        '[{"transformType":"standard-scaler","params":{"withMean":true,"withStd":true},"nFeatures":6}]',
    });
    expect(Object.keys(tensors).sort()).toEqual([
      'model.centroids',
      'pipeline.0.standard-scaler.mean',
      'pipeline.0.standard-scaler.variance',
    ]);
  });

  it('round-trips to a pipeline that predicts identically', async () => {
    const pipeline = await fittedPipeline();
    const file = modelFile(pipeline);
    const restored = modelFromFile(decodeModel(encodeModel(file.model, file.preprocessing)));
    expect(restored).toBeInstanceOf(Pipeline);
    const { X } = blobs(7);
    expect(Array.from(restored.predict(X))).toEqual(Array.from(pipeline.predict(X)));
  });

  it('restores a bare classifier as itself', async () => {
    const { X, y } = blobs(4);
    const model = await new NearestCentroid().fit(X, y);
    const restored = modelFromFile(decodeModel(encodeModel(model.toState())));
    expect(restored).toBeInstanceOf(NearestCentroid);
    expect(Array.from(restored.predict(X))).toEqual(Array.from(model.predict(X)));
  });

  describe('refuses files it does not understand, naming the source and the problem', async () => {
    const pipeline = await fittedPipeline();
    const file = modelFile(pipeline);
    const good = encodeModel(file.model, file.preprocessing);

    const cases: [string, Uint8Array, RegExp][] = [
      [
        'a newer format version',
        rewrite(good, (m) => (m.format_version = '3')),
        /format version 3, written by a newer typedlearn; this one reads versions 1 to 2/,
      ],
      [
        'a garbled format version',
        rewrite(good, (m) => (m.format_version = 'one')),
        /format_version must be "1" to "2", got "one"/,
      ],
      [
        'an unknown metadata key',
        rewrite(good, (m) => (m.author = 'me')),
        /unknown metadata key 'author'/,
      ],
      [
        'a missing metadata key',
        rewrite(good, (m) => delete m.classes),
        /metadata 'classes' is missing/,
      ],
      [
        'params that are not JSON',
        rewrite(good, (m) => (m.params = '{shift')),
        /'params' is not valid JSON/,
      ],
      [
        'params that are not an object',
        rewrite(good, (m) => (m.params = '[1]')),
        /'params' must be a JSON object/,
      ],
      [
        'classes out of order',
        rewrite(good, (m) => (m.classes = '[5,2,9]')),
        /'classes' must be a JSON array of distinct/,
      ],
      ['fractional classes', rewrite(good, (m) => (m.classes = '[2.5]')), /'classes' must be/],
      ['no classes', rewrite(good, (m) => (m.classes = '[]')), /'classes' must be/],
      [
        'labels of two types',
        rewrite(good, (m) => (m.classes = '[2,"cat"]')),
        /'classes' must be a JSON array of distinct labels of one type/,
      ],
      [
        'string classes unsorted',
        rewrite(good, (m) => (m.classes = '["dog","cat","emu"]')),
        /'classes' must be a JSON array of distinct labels of one type/,
      ],
      [
        'string classes in a version 1 file',
        rewrite(good, (m) => {
          m.format_version = '1';
          m.classes = '["cat","dog","emu"]';
        }),
        /'classes' must be a JSON array of distinct 32-bit integer labels, ascending/,
      ],
      [
        'a bad feature count',
        rewrite(good, (m) => (m.n_features = '-6')),
        /'n_features' must be a positive integer, got "-6"/,
      ],
      ['an empty model type', rewrite(good, (m) => (m.model_type = '')), /'model_type' is empty/],
      [
        'a step with an unknown key',
        rewrite(
          good,
          (m) => (m.preprocessing = '[{"transformType":"pca","params":{},"nFeatures":6,"x":1}]'),
        ),
        /preprocessing step 0 has an unknown key 'x'/,
      ],
      [
        'a step without a feature count',
        rewrite(good, (m) => (m.preprocessing = '[{"transformType":"pca","params":{}}]')),
        /step 0 needs nFeatures/,
      ],
      [
        'preprocessing that is not a list',
        rewrite(good, (m) => (m.preprocessing = '{}')),
        /'preprocessing' must be a JSON array/,
      ],
      [
        'a tensor that belongs to nothing',
        rewrite(good, (_, t) => (t.extra = Tensor.zeros([1]) as Tensor<never>)),
        /tensor 'extra' belongs to nothing/,
      ],
      [
        'a tensor of a step that does not exist',
        rewrite(
          good,
          (_, t) => (t['pipeline.3.pca.components'] = Tensor.zeros([1]) as Tensor<never>),
        ),
        /tensor 'pipeline.3.pca.components' belongs to nothing/,
      ],
      [
        'a tensor filed under the wrong transform type',
        rewrite(good, (_, t) => {
          t['pipeline.0.pca.mean'] = t['pipeline.0.standard-scaler.mean'];
          delete t['pipeline.0.standard-scaler.mean'];
        }),
        /tensor 'pipeline.0.pca.mean' belongs to nothing/,
      ],
    ];

    it.each(cases)('%s', (_, bytes, message) => {
      expect(() => decodeModel(bytes, 'digits.safetensors')).toThrow(FormatError);
      expect(() => decodeModel(bytes, 'digits.safetensors')).toThrow(
        /^digits.safetensors is not a typedlearn model file: /,
      );
      expect(() => decodeModel(bytes)).toThrow(message);
    });

    it('an unknown model type (when restoring)', () => {
      const bytes = rewrite(good, (m) => (m.model_type = 'quantum'));
      expect(() => modelFromFile(decodeModel(bytes), 'q.safetensors')).toThrow(
        /^q.safetensors holds a model typedlearn cannot restore: unknown model type 'quantum'.*nearest-centroid/,
      );
    });

    it('hyper-parameters the model refuses (when restoring)', () => {
      const bytes = rewrite(good, (m) => (m.params = '{"shift":"far"}'));
      expect(() => modelFromFile(decodeModel(bytes), 'p.safetensors')).toThrow(FormatError);
      expect(() => modelFromFile(decodeModel(bytes), 'p.safetensors')).toThrow(/shift/);
    });

    it('a transform state its restorer refuses (when restoring)', () => {
      const bytes = rewrite(good, (_, t) => delete t['pipeline.0.standard-scaler.variance']);
      expect(() => modelFromFile(decodeModel(bytes))).toThrow(FormatError);
    });
  });

  it('refuses to save values JSON would change, naming them', async () => {
    const { X, y } = blobs(4);
    const state = (await new NearestCentroid().fit(X, y)).toState();
    expect(() => encodeModel({ ...state, params: { shift: Infinity } })).toThrow(
      new ValueError(
        'cannot save params.shift = Infinity in a model file: metadata holds only JSON values ' +
          '(finite numbers, strings, booleans, null, arrays and plain objects)',
      ),
    );
    expect(() => encodeModel({ ...state, info: { history: [1, NaN] } })).toThrow(
      /info.history\[1\] = NaN/,
    );
    expect(() => encodeModel({ ...state, info: { curve: new Float32Array(2) } })).toThrow(
      /info.curve = 0,0/,
    );
    expect(() => encodeModel({ ...state, info: { list: [1, undefined] } })).toThrow(
      /info.list\[1\] = undefined/,
    );
    // An undefined property is an absent optional field, and stays absent.
    const file = decodeModel(encodeModel({ ...state, info: { epochs: 3, validation: undefined } }));
    expect(file.model.info).toEqual({ epochs: 3 });
  });

  it('keeps hostile tensor names as plain entries', async () => {
    const { X, y } = blobs(4);
    const model = await new NearestCentroid().fit(X, y);
    const state = model.toState();
    const bytes = rewrite(
      encodeModel(state),
      (_, t) => (t['model.__proto__'] = Tensor.zeros([1]) as Tensor<never>),
    );
    const decoded = decodeModel(bytes);
    expect(Object.keys(decoded.model.tensors).sort()).toEqual(['__proto__', 'centroids']);
    expect(Object.getPrototypeOf(decoded.model.tensors)).toBe(Object.prototype);
  });
});

describe('fuzzing: corrupt model files fail cleanly', async () => {
  const pipeline = await fittedPipeline();
  const file = modelFile(pipeline);
  const good = encodeModel(file.model, file.preprocessing);

  /** Decoding and restoring either works or throws a typedlearn error: never a crash or a hang. */
  function loadOrRefuse(bytes: Uint8Array): 'loaded' | 'refused' {
    try {
      modelFromFile(decodeModel(bytes));
      return 'loaded';
    } catch (error) {
      if (!(error instanceof TypedlearnError)) throw error;
      expect(error).toBeInstanceOf(FormatError);
      return 'refused';
    }
  }

  it('refuses every truncation', () => {
    for (let length = 0; length < good.length; length++) {
      expect(loadOrRefuse(good.subarray(0, length))).toBe('refused');
    }
  });

  it('survives thousands of random bit flips', () => {
    // xorshift32: a fixed seed keeps the test reproducible.
    let state = 0x9e3779b9;
    const next = () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    const outcomes = { loaded: 0, refused: 0 };
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = good.slice();
      const flips = 1 + Math.floor(next() * 4);
      for (let f = 0; f < flips; f++) {
        const at = Math.floor(next() * bytes.length);
        bytes[at] ^= 1 << Math.floor(next() * 8);
      }
      outcomes[loadOrRefuse(bytes)]++;
    }
    // Flips in the tensor bytes still load (the format does not checksum values); flips in
    // the length or the JSON header are refused. Both kinds must have happened.
    expect(outcomes.loaded).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('refuses headers that claim absurd sizes without allocating them', () => {
    const hostile = [
      '{"model.centroids":{"dtype":"F32","shape":[1000000000,1000000000],"data_offsets":[0,72]}}',
      '{"model.centroids":{"dtype":"F32","shape":[3,6],"data_offsets":[0,9007199254740991]}}',
      '{"model.centroids":{"dtype":"F32","shape":[3,6],"data_offsets":[0,72]},"model.b":{"dtype":"F32","shape":[3,6],"data_offsets":[0,72]}}',
    ];
    for (const header of hostile) {
      const json = new TextEncoder().encode(header);
      const bytes = new Uint8Array(8 + json.length + 72);
      bytes[0] = json.length;
      bytes.set(json, 8);
      expect(loadOrRefuse(bytes)).toBe('refused');
    }
  });
});
