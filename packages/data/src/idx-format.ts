import { FormatError, ShapeError, ValueError } from '@typedlearn/tensor';

/**
 * The IDX file format (LeCun, Cortes & Burges, "The MNIST database", 1998): a 4-byte magic
 * number `00 00 <type> <rank>`, then `rank` big-endian uint32 dimensions, then the elements in
 * row-major order, each big-endian. These functions are pure (no Node APIs); reading gzip is
 * the job of `readIdx` in `@typedlearn/data/node`.
 */

/** The element types an IDX file can hold. */
export type IdxType = 'u8' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';

/** The typed array that holds elements of each {@link IdxType}. */
export interface IdxArrayFor {
  u8: Uint8Array;
  i8: Int8Array;
  i16: Int16Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}

/** The contents of an IDX file: element type, dimensions and the elements (row-major). */
export type IdxData = {
  [T in IdxType]: { type: T; dims: number[]; data: IdxArrayFor[T] };
}[IdxType];

/** Byte size and type code of each element type, as the format defines them. */
const ELEMENT = {
  u8: { code: 0x08, bytes: 1 },
  i8: { code: 0x09, bytes: 1 },
  i16: { code: 0x0b, bytes: 2 },
  i32: { code: 0x0c, bytes: 4 },
  f32: { code: 0x0d, bytes: 4 },
  f64: { code: 0x0e, bytes: 8 },
} as const satisfies Record<IdxType, { code: number; bytes: number }>;

const TYPE_OF_CODE = new Map<number, IdxType>(
  (Object.keys(ELEMENT) as IdxType[]).map((type) => [ELEMENT[type].code, type]),
);

/** The first two bytes of a gzip stream (RFC 1952, section 2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes an uncompressed IDX file. Every length is checked before anything is allocated, so
 * a truncated, oversized (trailing bytes) or corrupt file throws a {@link FormatError} saying
 * what was found and what was expected, and no header can make it allocate more than the
 * file holds. `u8` data is a view of `bytes` (no copy); wider types are decoded from
 * big-endian into new typed arrays.
 */
export function parseIdx(bytes: Uint8Array): IdxData {
  if (isGzip(bytes)) {
    throw new FormatError(
      'IDX bytes are gzip-compressed: decompress them first, or use readIdx from ' +
        "'@typedlearn/data/node', which does",
    );
  }
  if (bytes.length < 4) {
    throw new FormatError(
      `IDX file is truncated: ${bytes.length} bytes, expected at least the 4-byte magic number`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FormatError(
      `not an IDX file: the magic number must start with two zero bytes, got ${hex(bytes[0])} ${hex(bytes[1])}`,
    );
  }
  const type = TYPE_OF_CODE.get(bytes[2]);
  if (type === undefined) {
    throw new FormatError(
      `IDX element type code ${hex(bytes[2])} is unknown: expected one of ` +
        [...TYPE_OF_CODE].map(([code, name]) => `${hex(code)} (${name})`).join(', '),
    );
  }
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new FormatError(
      `IDX header is truncated: rank ${rank} needs ${headerBytes} header bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));

  const elementBytes = ELEMENT[type].bytes;
  const payloadBytes = bytes.length - headerBytes;
  // Multiply dimension by dimension and stop as soon as the count exceeds what the file can
  // hold, so absurd dimensions neither overflow nor cause a huge allocation.
  let count = dims.includes(0) ? 0 : 1;
  for (const n of dims) {
    count *= n;
    if (count * elementBytes > payloadBytes) {
      throw new FormatError(
        `IDX data is truncated: dimensions [${dims.join(', ')}] of ${type} need ` +
          `${describeBytes(dims, elementBytes)}, the file holds ${payloadBytes} bytes after the header`,
      );
    }
  }
  if (count * elementBytes !== payloadBytes) {
    throw new FormatError(
      `IDX file has ${payloadBytes - count * elementBytes} trailing bytes: dimensions ` +
        `[${dims.join(', ')}] of ${type} need ${count * elementBytes} data bytes, the file holds ${payloadBytes}`,
    );
  }
  return { type, dims, data: decodeElements(type, view, headerBytes, count, bytes) } as IdxData;
}

function decodeElements(
  type: IdxType,
  view: DataView,
  start: number,
  count: number,
  bytes: Uint8Array,
): IdxArrayFor[IdxType] {
  switch (type) {
    case 'u8':
      return bytes.subarray(start, start + count);
    case 'i8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + start, count).slice();
    case 'i16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, false);
      return out;
    }
    case 'i32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, false);
      return out;
    }
    case 'f32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, false);
      return out;
    }
    case 'f64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, false);
      return out;
    }
  }
}

/** The typed array class that matches each IDX element type, for {@link writeIdx}. */
function idxTypeOf(data: IdxArrayFor[IdxType]): IdxType {
  if (data instanceof Uint8Array) return 'u8';
  if (data instanceof Int8Array) return 'i8';
  if (data instanceof Int16Array) return 'i16';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Float32Array) return 'f32';
  if (data instanceof Float64Array) return 'f64';
  throw new ValueError(
    'writeIdx data must be a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array',
  );
}

/**
 * Encodes `data` with dimensions `dims` as an uncompressed IDX file (the inverse of
 * {@link parseIdx}). The element type follows the typed array's class.
 */
export function writeIdx(dims: readonly number[], data: IdxArrayFor[IdxType]): Uint8Array {
  const type = idxTypeOf(data);
  if (dims.length > 255) {
    throw new ShapeError(`IDX files hold at most 255 dimensions, got ${dims.length}`);
  }
  let count = 1;
  for (const n of dims) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      throw new ShapeError(
        `IDX dimensions must be integers in 0..2^32-1, got [${dims.join(', ')}]`,
      );
    }
    count *= n;
  }
  if (count !== data.length) {
    throw new ShapeError(
      `writeIdx got ${data.length} elements for dimensions [${dims.join(', ')}], which hold ${count}`,
    );
  }
  const headerBytes = 4 + 4 * dims.length;
  const bytes = new Uint8Array(headerBytes + count * ELEMENT[type].bytes);
  const view = new DataView(bytes.buffer);
  bytes[2] = ELEMENT[type].code;
  bytes[3] = dims.length;
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  encodeElements(data, view, headerBytes, bytes);
  return bytes;
}

function encodeElements(
  data: IdxArrayFor[IdxType],
  view: DataView,
  start: number,
  bytes: Uint8Array,
): void {
  if (data instanceof Uint8Array) bytes.set(data, start);
  else if (data instanceof Int8Array)
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.length), start);
  else if (data instanceof Int16Array)
    data.forEach((v, i) => view.setInt16(start + 2 * i, v, false));
  else if (data instanceof Int32Array)
    data.forEach((v, i) => view.setInt32(start + 4 * i, v, false));
  else if (data instanceof Float32Array)
    data.forEach((v, i) => view.setFloat32(start + 4 * i, v, false));
  else data.forEach((v, i) => view.setFloat64(start + 8 * i, v, false));
}

function describeBytes(dims: readonly number[], elementBytes: number): string {
  const total = dims.reduce((p, n) => p * n, elementBytes);
  return Number.isSafeInteger(total) ? `${total} bytes` : 'more bytes than any file holds';
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}
