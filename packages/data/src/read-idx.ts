import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FormatError } from '@typedlearn/tensor';
import { isGzip, parseIdx, type IdxData } from './idx-format.js';

/** Options of {@link readIdx}. */
export interface ReadIdxOptions {
  /**
   * Largest decompressed size accepted from a gzip stream, in bytes, so a corrupt or hostile
   * file cannot exhaust memory. Default 2 GiB (EMNIST's largest file is about 0.55 GiB).
   */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 ** 31;

/**
 * Decodes an IDX file, raw or gzip-compressed (recognised by its magic bytes `1f 8b`).
 * Throws a {@link FormatError} for a corrupt gzip stream or a truncated, oversized or corrupt
 * IDX file; see {@link parseIdx} for the checks. Node only (it uses `node:zlib`).
 */
export function readIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): IdxData {
  const raw = isGzip(bytes) ? gunzip(bytes, options.maxBytes ?? DEFAULT_MAX_BYTES) : bytes;
  return parseIdx(plainBytes(raw));
}

/** Reads and decodes the IDX file at `path` (raw or gzip); errors name the file. */
export function readIdxFile(path: string, options: ReadIdxOptions = {}): IdxData {
  const bytes = readFileSync(path);
  try {
    return readIdx(bytes, options);
  } catch (error) {
    if (error instanceof FormatError) throw new FormatError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The same bytes as a plain Uint8Array: Node's Buffer subclass would leak into the returned
 * u8 data, where its `slice` (a view, unlike Uint8Array's copy) would surprise callers.
 */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function gunzip(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormatError(
      `IDX gzip stream could not be decompressed (${reason}): expected a complete gzip file ` +
        `of at most ${maxBytes} bytes uncompressed`,
    );
  }
}
