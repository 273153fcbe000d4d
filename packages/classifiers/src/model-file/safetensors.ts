import { FormatError, Tensor, sizeOf, type DType } from '@typedlearn/tensor';

/**
 * The safetensors format (Hugging Face, https://github.com/huggingface/safetensors):
 *
 * ```
 * 8 bytes   N, the header length, an unsigned 64-bit little-endian integer
 * N bytes   a UTF-8 JSON object, padded with spaces to a multiple of 8 bytes:
 *           { "__metadata__": { string: string }, name: { dtype, shape, data_offsets }, ... }
 * the rest  the byte buffer: each tensor's elements, row-major and little-endian, at
 *           [begin, end) of data_offsets, relative to the start of the buffer
 * ```
 *
 * Writing follows the reference implementation byte for byte (tensors sorted by descending
 * element size, then by name; header padded with spaces so every tensor is aligned), so
 * Python's `safetensors.numpy.load_file` reads our files. Reading treats the bytes as hostile:
 * every number is checked before it is used, so a corrupt file is a {@link FormatError} and
 * never a crash, a hang or an allocation larger than the file.
 *
 * These functions use no Node APIs: a browser can decode bytes it fetched.
 */

/** The largest header accepted, the same limit as the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** The tensors and the `__metadata__` strings of a safetensors file. */
export interface SafetensorsContents {
  tensors: Record<string, Tensor<DType>>;
  metadata: Record<string, string>;
}

/** The safetensors dtype names of the tensor dtypes, with their element size in bytes. */
const FILE_DTYPE = {
  float32: { name: 'F32', bytes: 4 },
  int32: { name: 'I32', bytes: 4 },
  uint8: { name: 'U8', bytes: 1 },
} as const satisfies Record<DType, { name: string; bytes: number }>;

const TENSOR_DTYPE = new Map<string, DType>(
  (Object.keys(FILE_DTYPE) as DType[]).map((dtype) => [FILE_DTYPE[dtype].name, dtype]),
);

/**
 * The reference implementation orders tensors by its dtype enumeration, largest first
 * (F32 before I32 before U8), then by name; with a header padded to 8 bytes this aligns
 * every tensor to its element size.
 */
const WRITE_RANK: Record<DType, number> = { float32: 0, int32: 1, uint8: 2 };

const METADATA_KEY = '__metadata__';
const TENSOR_ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];

/**
 * Serialises named tensors and metadata strings to safetensors bytes. Strided views are
 * written in row-major order. Throws a {@link FormatError} for a tensor named `__metadata__`.
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor<DType>>,
  metadata: Record<string, string>,
): Uint8Array {
  if (Object.hasOwn(tensors, METADATA_KEY)) {
    throw new FormatError(`a tensor cannot be named '${METADATA_KEY}': the format reserves it`);
  }
  const names = Object.keys(tensors).sort((a, b) => {
    const byDtype = WRITE_RANK[tensors[a].dtype] - WRITE_RANK[tensors[b].dtype];
    return byDtype !== 0 ? byDtype : a < b ? -1 : a > b ? 1 : 0;
  });

  // Like the reference implementation, write `__metadata__` only when there is some.
  const header: Record<string, unknown> =
    Object.keys(metadata).length > 0 ? { [METADATA_KEY]: metadata } : {};
  let offset = 0;
  for (const name of names) {
    const tensor = tensors[name];
    const byteLength = tensor.size * FILE_DTYPE[tensor.dtype].bytes;
    header[name] = {
      dtype: FILE_DTYPE[tensor.dtype].name,
      shape: tensor.shape,
      data_offsets: [offset, offset + byteLength],
    };
    offset += byteLength;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength); // pad with spaces

  let at = 8 + headerLength;
  for (const name of names) {
    const tensor = tensors[name].contiguous();
    at = writeElements(tensor, view, at);
  }
  return bytes;
}

/** Writes a contiguous tensor's elements little-endian at byte `at`; returns the next byte. */
function writeElements(tensor: Tensor<DType>, view: DataView, at: number): number {
  const { data, offset, size } = tensor;
  switch (tensor.dtype) {
    case 'float32':
      for (let i = 0; i < size; i++, at += 4) view.setFloat32(at, data[offset + i], true);
      return at;
    case 'int32':
      for (let i = 0; i < size; i++, at += 4) view.setInt32(at, data[offset + i], true);
      return at;
    case 'uint8':
      new Uint8Array(view.buffer, at, size).set(data.subarray(offset, offset + size));
      return at + size;
  }
}

/** One tensor entry of the header after validation, with offsets into the byte buffer. */
interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses safetensors bytes, validating the whole header before reading any tensor: header
 * length against the byte count (at most {@link MAX_HEADER_BYTES}), UTF-8 and JSON, every
 * entry's keys, dtype (F32, I32 or U8), shape and `data_offsets`, that the element count
 * times the element size equals each byte span, and that the spans are contiguous,
 * non-overlapping and cover the buffer exactly, as the format requires. Tensors are copied
 * out of `bytes`, so they do not keep the file alive. `source` names the bytes in errors
 * (a file path, say).
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = 'safetensors bytes',
): SafetensorsContents {
  const fail = (problem: string): never => {
    throw new FormatError(`${source} is not a valid safetensors file: ${problem}`);
  };
  if (bytes.length < 8) {
    fail(
      `it has ${bytes.length} bytes, fewer than the 8-byte header length that starts the format`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    fail(`the header length is ${declared} bytes, more than the limit of ${MAX_HEADER_BYTES}`);
  }
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    fail(
      `the header length is ${headerLength} bytes but only ${bytes.length - 8} bytes follow ` +
        `the length field (is the file truncated?)`,
    );
  }

  const header = parseHeader(bytes.subarray(8, 8 + headerLength), fail);
  const bufferStart = 8 + headerLength;
  const bufferLength = bytes.length - bufferStart;
  const { metadata, entries } = validateHeader(header, bufferLength, fail);
  checkCoverage(entries, bufferLength, fail);

  const data = new DataView(bytes.buffer, bytes.byteOffset + bufferStart, bufferLength);
  // Object.fromEntries defines own properties, so even a tensor named '__proto__' is kept as data.
  const tensors = Object.fromEntries(entries.map((entry) => [entry.name, readTensor(entry, data)]));
  return { tensors, metadata };
}

function parseHeader(headerBytes: Uint8Array, fail: (problem: string) => never): object {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    fail(`the header must be a JSON object starting with '{', got ${quote(text.slice(0, 20))}`);
  }
  let header: unknown;
  try {
    // V8's JSON.parse is iterative, so even absurdly deep nesting cannot overflow the stack.
    header = JSON.parse(text);
  } catch (error) {
    fail(`the header is not valid JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(header)) fail('the header must be a JSON object');
  return header as object;
}

function validateHeader(
  header: object,
  bufferLength: number,
  fail: (problem: string) => never,
): { metadata: Record<string, string>; entries: TensorEntry[] } {
  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isPlainObject(value)) fail(`'${METADATA_KEY}' must be an object of strings`);
      for (const [key, text] of Object.entries(value as object)) {
        if (typeof text !== 'string') {
          fail(`'${METADATA_KEY}' values must be strings, but '${key}' is ${typeof text}`);
        }
      }
      metadata = value as Record<string, string>;
    } else {
      entries.push(validateEntry(name, value, bufferLength, fail));
    }
  }
  return { metadata, entries };
}

function validateEntry(
  name: string,
  value: unknown,
  bufferLength: number,
  fail: (problem: string) => never,
): TensorEntry {
  const where = `tensor '${name}'`;
  if (!isPlainObject(value)) fail(`${where} must be an object { dtype, shape, data_offsets }`);
  const entry = value as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!TENSOR_ENTRY_KEYS.includes(key)) {
      fail(`${where} has an unknown key '${key}'; expected only ${TENSOR_ENTRY_KEYS.join(', ')}`);
    }
  }
  const dtype = TENSOR_DTYPE.get(entry.dtype as string);
  if (typeof entry.dtype !== 'string' || dtype === undefined) {
    fail(
      `${where} has dtype ${JSON.stringify(entry.dtype) ?? 'undefined'}; ` +
        `typedlearn reads ${[...TENSOR_DTYPE.keys()].join(', ')}`,
    );
  }
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(`${where} has shape ${brief(shape)}; expected an array of non-negative integers`);
  }
  const offsets = entry.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`${where} has data_offsets ${brief(offsets)}; expected [begin, end], two integers >= 0`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end || end > bufferLength) {
    fail(
      `${where} has data_offsets [${begin}, ${end}] outside the ${bufferLength}-byte buffer ` +
        `(expected begin <= end <= ${bufferLength})`,
    );
  }
  // Multiply one dimension at a time and stop once the count passes the span, so a hostile
  // shape can neither overflow nor make us allocate more than the file holds.
  const itemSize = FILE_DTYPE[dtype as DType].bytes;
  const span = end - begin;
  let count = (shape as number[]).includes(0) ? 0 : 1;
  for (const n of shape as number[]) {
    count *= n;
    if (count * itemSize > span) break;
  }
  if (count * itemSize !== span) {
    fail(
      `${where} has shape [${(shape as number[]).join(', ')}] of ${entry.dtype}, which needs ` +
        `${count * itemSize > span ? 'more than ' : ''}${count * itemSize} bytes, but its ` +
        `data_offsets span ${span} bytes`,
    );
  }
  return { name, dtype: dtype as DType, shape: shape as number[], begin, end };
}

/** The format requires the spans to tile the buffer: in offset order, each starts where the last ended. */
function checkCoverage(
  entries: TensorEntry[],
  bufferLength: number,
  fail: (problem: string) => never,
): void {
  const ordered = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const entry of ordered) {
    if (entry.begin !== expected) {
      fail(
        entry.begin < expected
          ? `tensor '${entry.name}' at bytes [${entry.begin}, ${entry.end}) overlaps the tensor before it, which ends at ${expected}`
          : `bytes [${expected}, ${entry.begin}) of the buffer belong to no tensor (tensor '${entry.name}' starts at ${entry.begin})`,
      );
    }
    expected = entry.end;
  }
  if (expected !== bufferLength) {
    fail(
      `the tensors cover ${expected} bytes but the buffer after the header holds ${bufferLength}` +
        ' (trailing bytes, or a wrong header length)',
    );
  }
}

function readTensor(entry: TensorEntry, data: DataView): Tensor<DType> {
  const { dtype, shape, begin } = entry;
  const count = sizeOf(shape);
  switch (dtype) {
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = data.getFloat32(begin + 4 * i, true);
      return new Tensor(out, shape);
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = data.getInt32(begin + 4 * i, true);
      return new Tensor(out, shape);
    }
    case 'uint8':
      return new Tensor(new Uint8Array(data.buffer, data.byteOffset + begin, count).slice(), shape);
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A short JSON rendering of a hostile value for an error message. */
function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function quote(text: string): string {
  return JSON.stringify(text);
}
