import { prepareDigitImage } from '@typedlearn/data';
import { decodeImage } from '@typedlearn/io/node';
import { TypedlearnError } from '@typedlearn/tensor';
import { DIGIT_PIXELS } from './digit-predictor.js';
import { HttpError } from './http-error.js';
import { declaredImageSize } from './image-size.js';

/** The media types `POST /api/predict` accepts. */
export const PREDICT_MEDIA_TYPES = ['image/png', 'image/jpeg', 'application/json'] as const;

/** One of {@link PREDICT_MEDIA_TYPES}. */
export type PredictMediaType = (typeof PREDICT_MEDIA_TYPES)[number];

/** Most images in one batch request. */
export const MAX_BATCH_IMAGES = 256;

/** A prediction request, read and prepared. */
export interface PredictRequest {
  /** True for `{ "images": [...] }`: the answer is `{ "predictions": [...] }`. */
  batch: boolean;
  /** Each image as the model's input: 784 floats in [0, 1]. */
  images: Float32Array[];
}

/**
 * Reads the body of `POST /api/predict` (see the CLI README for the formats). `maxPixels`
 * bounds the pixels decoded for the whole request, checked from the image headers before
 * any decoding. Every problem is an {@link HttpError}: 400 for malformed input (naming the
 * image of a batch, as `images[3]`), 413 for pictures over the pixel budget.
 */
export function readPredictRequest(
  mediaType: PredictMediaType,
  body: Buffer,
  maxPixels: number,
): PredictRequest {
  const budget = { pixelsLeft: maxPixels, maxPixels };
  if (mediaType !== 'application/json') {
    return { batch: false, images: [imageFeatures(body, 'the request body', budget, mediaType)] };
  }
  const json = parseJson(body);
  const key = onlyKey(json, ['pixels', 'image', 'images'], 'the JSON body');
  if (key !== 'images') {
    return { batch: false, images: [itemFeatures(json, key, 'the JSON body', budget)] };
  }
  const items = (json as { images: unknown }).images;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_IMAGES) {
    throw badRequest(
      `"images" must be an array of 1 to ${MAX_BATCH_IMAGES} objects, each { "pixels": [...] } or { "image": "<base64>" }`,
    );
  }
  const images = items.map((item: unknown, i) => {
    const where = `images[${i}]`;
    return itemFeatures(item, onlyKey(item, ['pixels', 'image'], where), where, budget);
  });
  return { batch: true, images };
}

interface PixelBudget {
  pixelsLeft: number;
  readonly maxPixels: number;
}

/** The features of `{ "pixels": [...] }` or `{ "image": "<base64>" }`. */
function itemFeatures(
  item: unknown,
  key: string,
  where: string,
  budget: PixelBudget,
): Float32Array {
  const value = (item as Record<string, unknown>)[key];
  return key === 'pixels'
    ? pixelFeatures(value, `${where}: "pixels"`)
    : imageFeatures(base64Bytes(value, `${where}: "image"`), where, budget);
}

/**
 * 784 grey levels of a 28 x 28 digit (light ink on black, as MNIST), row-major: numbers in
 * [0, 1], or in [0, 255] — an array with any value above 1 is read on the 0..255 scale. The
 * values are used as they are, without `prepareDigitImage` (they are already MNIST-shaped).
 */
function pixelFeatures(value: unknown, where: string): Float32Array {
  if (!Array.isArray(value) || value.length !== DIGIT_PIXELS) {
    throw badRequest(
      `${where} must be an array of ${DIGIT_PIXELS} numbers (28 x 28, row-major), got ` +
        (Array.isArray(value) ? `${value.length} values` : JSON.stringify(value)?.slice(0, 40)),
    );
  }
  let peak = 0;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 255)) {
      throw badRequest(
        `${where}[${i}] is ${JSON.stringify(v)}; expected a number in [0, 1] or [0, 255]`,
      );
    }
    if (v > peak) peak = v;
  }
  const scale = peak > 1 ? 1 / 255 : 1;
  return Float32Array.from(value as number[], (v) => v * scale);
}

/** A PNG or JPEG, decoded and prepared like an MNIST digit by `prepareDigitImage`. */
function imageFeatures(
  bytes: Uint8Array,
  where: string,
  budget: PixelBudget,
  declaredType?: PredictMediaType,
): Float32Array {
  const size = declaredImageSize(bytes);
  if (size !== undefined) {
    budget.pixelsLeft -= size.width * size.height;
    if (budget.pixelsLeft < 0) {
      throw new HttpError(
        413,
        `${where} is a ${size.width} x ${size.height} picture; this server decodes at most ` +
          `${budget.maxPixels} pixels per request (scale it down: a digit needs no more than a few hundred pixels a side)`,
      );
    }
  }
  // The first byte tells the two formats apart; decodeImage checks the whole signature.
  const format = bytes[0] === 0x89 ? 'image/png' : bytes[0] === 0xff ? 'image/jpeg' : undefined;
  if (declaredType !== undefined && format !== undefined && format !== declaredType) {
    throw badRequest(`Content-Type is ${declaredType} but ${where} is a ${format} picture`);
  }
  try {
    return prepareDigitImage(decodeImage(bytes, where));
  } catch (error) {
    if (error instanceof TypedlearnError) {
      throw badRequest(
        error.message.startsWith(where) ? error.message : `${where}: ${error.message}`,
      );
    }
    throw error;
  }
}

/** Standard base64 (RFC 4648, section 4), optionally as a `data:image/...;base64,` URL. */
function base64Bytes(value: unknown, where: string): Uint8Array {
  const text = typeof value === 'string' ? value.replace(/^data:image\/[\w.+-]+;base64,/, '') : '';
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw badRequest(
      `${where} must be a PNG or JPEG file in base64 (optionally a data:image/...;base64, URL)`,
    );
  }
  return Buffer.from(text, 'base64');
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The one key `value` (an object) has, which must be one of `allowed`. */
function onlyKey(value: unknown, allowed: readonly string[], where: string): string {
  const keys =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  if (keys.length !== 1 || !allowed.includes(keys[0])) {
    const shapes = allowed.map((key) => `{ "${key}": ... }`).join(' or ');
    throw badRequest(
      `${where} must be an object with exactly one key, ${shapes}; got ${describe(value, keys)}`,
    );
  }
  return keys[0];
}

function describe(value: unknown, keys: string[]): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return keys.length === 0 ? 'an empty object' : `keys ${keys.map((k) => `"${k}"`).join(', ')}`;
}

function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}
