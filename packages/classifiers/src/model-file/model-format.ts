import type { TransformState } from '@typedlearn/data';
import { sortedClasses, type Label } from '@typedlearn/metrics';
import { FormatError, ValueError, type DType, type Tensor } from '@typedlearn/tensor';
import type { ModelState } from '../classifier.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/**
 * How a fitted model is laid out in a safetensors file.
 *
 * `__metadata__` (safetensors allows only strings there; structured values are JSON):
 *
 * | key | value |
 * | --- | --- |
 * | `format_version` | `"2"` ({@link MODEL_FORMAT_VERSION}); version 1 files are read too |
 * | `model_type` | the classifier's registered type, e.g. `"svm"` |
 * | `params` | JSON object: the hyper-parameters |
 * | `classes` | JSON array: the class labels, of one type (integers, strings or booleans), sorted; version 1 allows only integers |
 * | `n_features` | the number of input features of the classifier, e.g. `"784"` |
 * | `info` | JSON object: other fitted facts (training history, ...) |
 * | `preprocessing` | JSON array: each fitted transform's `{ transformType, params, nFeatures }` |
 * | `feature_names` | optional (version 2): JSON array of the input columns' names, when the model was fitted on a table |
 *
 * Tensors: the classifier's as `model.<name>`; transform `i`'s as
 * `pipeline.<i>.<transformType>.<name>` (e.g. `pipeline.1.pca.components`).
 *
 * Any other key, a missing key or another format version is refused, so a file is either
 * understood completely or not at all.
 */

/**
 * The version of this layout that the code writes. It reads this one and every earlier one:
 * version 1 differs only in allowing integer class labels alone.
 */
export const MODEL_FORMAT_VERSION = 2;

/** A model file's contents: the fitted classifier and the fitted transforms applied before it. */
export interface ModelFile {
  /** The classifier. */
  model: ModelState;
  /** Transforms applied in order to raw features before the classifier ([] for none). */
  preprocessing: TransformState[];
}

const METADATA_KEYS = [
  'format_version',
  'model_type',
  'params',
  'classes',
  'n_features',
  'info',
  'preprocessing',
] as const;

/** Keys a file may leave out. */
const OPTIONAL_METADATA_KEYS = ['feature_names'] as const;

type MetadataKey = (typeof METADATA_KEYS)[number] | (typeof OPTIONAL_METADATA_KEYS)[number];

const MODEL_PREFIX = 'model.';
const PIPELINE_TENSOR = /^pipeline\.(0|[1-9]\d*)\.([^.]+)\.(.+)$/s;

/**
 * Serialises a fitted classifier, and the fitted transforms that prepare its input, to the
 * bytes of a model file. Pure: no Node APIs, so it also runs in a browser.
 */
export function encodeModel(
  model: ModelState,
  preprocessing: readonly TransformState[] = [],
): Uint8Array {
  const tensors: Record<string, Tensor<DType>> = {};
  for (const [name, tensor] of Object.entries(model.tensors)) {
    tensors[`${MODEL_PREFIX}${name}`] = tensor;
  }
  preprocessing.forEach((step, i) => {
    if (!/^[^.]+$/.test(step.transformType)) {
      throw new FormatError(
        `transform type '${step.transformType}' cannot be saved: it must be non-empty and contain no '.'`,
      );
    }
    for (const [name, tensor] of Object.entries(step.tensors)) {
      tensors[`pipeline.${i}.${step.transformType}.${name}`] = tensor;
    }
  });
  const metadata: Partial<Record<MetadataKey, string>> = {
    format_version: String(MODEL_FORMAT_VERSION),
    model_type: model.modelType,
    params: exactJson('params', model.params),
    classes: JSON.stringify(model.classes),
    n_features: String(model.nFeatures),
    info: exactJson('info', model.info),
    preprocessing: exactJson(
      'preprocessing',
      preprocessing.map(({ transformType, params, nFeatures }) => ({
        transformType,
        params,
        nFeatures,
      })),
    ),
  };
  if (model.featureNames !== undefined) {
    metadata.feature_names = JSON.stringify(model.featureNames);
  }
  return encodeSafetensors(tensors, metadata as Record<string, string>);
}

/**
 * `value` as JSON, refusing what JSON would silently change (NaN and infinities become null,
 * undefined array items become null, functions vanish, typed arrays become objects), so that
 * every file written reads back as the same state. Throws a {@link ValueError} naming the
 * path of the value.
 */
function exactJson(name: string, value: unknown): string {
  const check = (at: string, v: unknown): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return;
    } else if (Array.isArray(v)) {
      return v.forEach((item, i) => check(`${at}[${i}]`, item));
    } else if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      // An undefined property is an absent optional field: JSON drops it, which keeps its meaning.
      for (const [key, item] of Object.entries(v as object)) {
        if (item !== undefined) check(`${at}.${key}`, item);
      }
      return;
    }
    throw new ValueError(
      `cannot save ${at} = ${String(v)} in a model file: metadata holds only JSON values ` +
        '(finite numbers, strings, booleans, null, arrays and plain objects)',
    );
  };
  check(name, value);
  return JSON.stringify(value);
}

/**
 * Parses the bytes of a model file (from disk or `fetch`) into a {@link ModelFile},
 * validating the safetensors layout and then every metadata key, the format version and
 * every tensor name. Throws a {@link FormatError} that starts with `source` and says what is
 * wrong. Pure: no Node APIs. Turn the result into a working model with `modelFromFile`.
 */
export function decodeModel(bytes: Uint8Array, source = 'model bytes'): ModelFile {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const fail = (problem: string): never => {
    throw new FormatError(`${source} is not a typedlearn model file: ${problem}`);
  };
  const text = readMetadata(metadata, fail);
  const version = text.format_version;
  if (!/^[1-9]\d*$/.test(version) || Number(version) > MODEL_FORMAT_VERSION) {
    fail(
      /^\d+$/.test(version) && Number(version) > MODEL_FORMAT_VERSION
        ? `it has format version ${version}, written by a newer typedlearn; this one reads versions 1 to ${MODEL_FORMAT_VERSION}`
        : `format_version must be "1" to "${MODEL_FORMAT_VERSION}", got ${JSON.stringify(version)}`,
    );
  }

  const json = (key: MetadataKey): unknown => {
    try {
      return JSON.parse(text[key] as string);
    } catch {
      return fail(`metadata '${key}' is not valid JSON`);
    }
  };
  const modelType = text.model_type;
  if (modelType === '') fail("metadata 'model_type' is empty");
  const params = json('params');
  if (!isPlainObject(params)) fail("metadata 'params' must be a JSON object");
  const classes = json('classes');
  if (!isSortedLabels(classes, version === '1')) {
    fail(
      version === '1'
        ? "metadata 'classes' must be a JSON array of distinct 32-bit integer labels, ascending"
        : "metadata 'classes' must be a JSON array of distinct labels of one type (32-bit integers, strings or booleans), sorted",
    );
  }
  const nFeatures = positiveInteger(text.n_features);
  if (nFeatures === undefined) {
    fail(
      `metadata 'n_features' must be a positive integer, got ${JSON.stringify(text.n_features)}`,
    );
  }
  const info = json('info');
  if (!isPlainObject(info)) fail("metadata 'info' must be a JSON object");
  const steps = json('preprocessing');
  if (!Array.isArray(steps)) fail("metadata 'preprocessing' must be a JSON array");

  const preprocessing = (steps as unknown[]).map((step, i) => readStep(step, i, fail));
  let featureNames: string[] | undefined;
  if (text.feature_names !== undefined) {
    const names = json('feature_names');
    if (
      version === '1' ||
      !Array.isArray(names) ||
      names.length !== nFeatures ||
      !names.every((name) => typeof name === 'string') ||
      new Set(names).size !== names.length
    ) {
      fail(`metadata 'feature_names' must be a JSON array of ${nFeatures} distinct strings`);
    }
    featureNames = names as string[];
  }
  const model: ModelState = {
    ...(featureNames === undefined ? {} : { featureNames }),
    modelType,
    params: params as Record<string, unknown>,
    classes: classes as Label[],
    nFeatures: nFeatures as number,
    info: info as Record<string, unknown>,
    tensors: {},
  };
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name.startsWith(MODEL_PREFIX)) {
      defineEntry(model.tensors, name.slice(MODEL_PREFIX.length), tensor);
      continue;
    }
    const match = PIPELINE_TENSOR.exec(name);
    const step = match === null ? undefined : preprocessing[Number(match[1])];
    if (match === null || step === undefined || step.transformType !== match[2]) {
      fail(
        `tensor '${name}' belongs to nothing in the file: expected 'model.<name>' or ` +
          `'pipeline.<step>.<transform type>.<name>' for one of the ${preprocessing.length} preprocessing steps`,
      );
    }
    defineEntry(step!.tensors, match![3], tensor);
  }
  return { model, preprocessing };
}

function readMetadata(
  metadata: Record<string, string>,
  fail: (problem: string) => never,
): Record<(typeof METADATA_KEYS)[number], string> & { feature_names?: string } {
  const known: readonly string[] = [...METADATA_KEYS, ...OPTIONAL_METADATA_KEYS];
  for (const key of Object.keys(metadata)) {
    if (!known.includes(key)) {
      fail(`unknown metadata key '${key}'; expected ${known.join(', ')}`);
    }
  }
  for (const key of METADATA_KEYS) {
    if (!Object.hasOwn(metadata, key)) fail(`metadata '${key}' is missing`);
  }
  return metadata as Record<(typeof METADATA_KEYS)[number], string> & { feature_names?: string };
}

const STEP_KEYS = ['transformType', 'params', 'nFeatures'];

function readStep(step: unknown, i: number, fail: (problem: string) => never): TransformState {
  const where = `preprocessing step ${i}`;
  if (!isPlainObject(step)) fail(`${where} must be an object { transformType, params, nFeatures }`);
  const { transformType, params, nFeatures } = step as Record<string, unknown>;
  for (const key of Object.keys(step as object)) {
    if (!STEP_KEYS.includes(key)) fail(`${where} has an unknown key '${key}'`);
  }
  if (typeof transformType !== 'string' || !/^[^.]+$/.test(transformType)) {
    fail(`${where} needs a transformType without '.', got ${JSON.stringify(transformType)}`);
  }
  if (!isPlainObject(params)) fail(`${where} needs params, a JSON object`);
  if (!Number.isSafeInteger(nFeatures) || (nFeatures as number) < 1) {
    fail(`${where} needs nFeatures, a positive integer, got ${JSON.stringify(nFeatures)}`);
  }
  return {
    transformType: transformType as string,
    params: params as Record<string, unknown>,
    nFeatures: nFeatures as number,
    tensors: {},
  };
}

/** `target[key] = value` as an own data property, even for a hostile key like `__proto__`. */
function defineEntry(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for at least one distinct label, sorted as `sortedClasses` sorts them (integers only when `integersOnly`). */
function isSortedLabels(value: unknown, integersOnly: boolean): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const integers = value.every(
    (label) => Number.isInteger(label) && label >= -(2 ** 31) && label < 2 ** 31,
  );
  if (integersOnly && !integers) return false;
  if (!integers && !value.every((label) => typeof label === typeof value[0])) return false;
  if (!integers && typeof value[0] !== 'string' && typeof value[0] !== 'boolean') return false;
  const sorted = sortedClasses(value as Label[]);
  return sorted.length === value.length && sorted.every((label, i) => label === value[i]);
}

function positiveInteger(text: string): number | undefined {
  return /^[1-9]\d{0,8}$/.test(text) ? Number(text) : undefined;
}
