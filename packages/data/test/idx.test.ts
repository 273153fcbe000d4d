import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FormatError, ShapeError } from '@typedlearn/tensor';
import { parseIdx, writeIdx, type IdxArrayFor, type IdxType } from '@typedlearn/data';
import { readIdx, readIdxFile } from '@typedlearn/data/node';

/** One array of each IDX element type, with values that exercise sign and byte order. */
const SAMPLES: { [T in IdxType]: IdxArrayFor[T] } = {
  u8: Uint8Array.from([0, 1, 127, 128, 255, 42]),
  i8: Int8Array.from([-128, -1, 0, 1, 127, -42]),
  i16: Int16Array.from([-32768, -2, 258, 32767, 0, -300]),
  i32: Int32Array.from([-2147483648, -1, 16909060, 2147483647, 0, 123456]),
  f32: Float32Array.from([1.5, -0.25, 3.4028234663852886e38, 1e-45, 0, Math.PI]),
  f64: Float64Array.from([1.5, -0.25, Number.MAX_VALUE, 5e-324, 0, Math.PI]),
};

describe('IDX format', () => {
  for (const type of Object.keys(SAMPLES) as IdxType[]) {
    it(`round-trips ${type} data, raw and gzip, at every rank`, () => {
      const values = SAMPLES[type];
      for (const dims of [[6], [2, 3], [3, 1, 2], [1, 2, 3, 1]]) {
        const raw = writeIdx(dims, values);
        for (const bytes of [raw, new Uint8Array(gzipSync(raw))]) {
          const idx = readIdx(bytes);
          expect(idx.type).toBe(type);
          expect(idx.dims).toEqual(dims);
          expect(idx.data.constructor).toBe(values.constructor);
          expect(Array.from(idx.data)).toEqual(Array.from(values));
        }
      }
    });
  }

  it('reads big-endian bytes written by hand', () => {
    // magic 00 00 0b (i16) 01 (rank 1), dims [2], then 0x0102 and 0xfffe.
    const i16 = Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    expect(Array.from(parseIdx(i16).data)).toEqual([258, -2]);
    // f32 1.5 is 3f c0 00 00; f64 -2 is c0 00 00 00 00 00 00 00.
    const f32 = Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]);
    expect(Array.from(parseIdx(f32).data)).toEqual([1.5]);
    const f64 = Uint8Array.from([0, 0, 0x0e, 1, 0, 0, 0, 1, 0xc0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(parseIdx(f64).data)).toEqual([-2]);
    // u8 with 2 x 2 dims: the header is 4 + 8 bytes.
    const u8 = Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 9, 8, 7, 6]);
    expect(parseIdx(u8)).toEqual({ type: 'u8', dims: [2, 2], data: Uint8Array.from([9, 8, 7, 6]) });
  });

  it('decodes u8 data without copying it', () => {
    const bytes = writeIdx([3], Uint8Array.from([1, 2, 3]));
    const { data } = parseIdx(bytes);
    expect(data.buffer).toBe(bytes.buffer);
  });

  it('reads a zero-sized dimension as an empty array, even next to a huge one', () => {
    const bytes = Uint8Array.from([0, 0, 8, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(parseIdx(bytes)).toEqual({ type: 'u8', dims: [0xffffffff, 0], data: new Uint8Array(0) });
  });

  it('refuses truncated files', () => {
    const full = writeIdx([2, 3], SAMPLES.i16);
    expect(() => parseIdx(full.subarray(0, 3))).toThrow(
      /truncated: 3 bytes, expected at least the 4-byte magic/,
    );
    expect(() => parseIdx(full.subarray(0, 8))).toThrow(
      /header is truncated: rank 2 needs 12 header bytes, the file has 8/,
    );
    expect(() => parseIdx(full.subarray(0, full.length - 1))).toThrow(
      /data is truncated: dimensions \[2, 3\] of i16 need 12 bytes, the file holds 11 bytes/,
    );
    expect(() => readIdx(full.subarray(0, full.length - 1))).toThrow(FormatError);
  });

  it('refuses oversized files (trailing bytes)', () => {
    const full = writeIdx([2], SAMPLES.i32.subarray(0, 2));
    const longer = new Uint8Array(full.length + 3);
    longer.set(full);
    expect(() => parseIdx(longer)).toThrow(
      /has 3 trailing bytes: dimensions \[2\] of i32 need 8 data bytes, the file holds 11/,
    );
  });

  it('refuses corrupt headers', () => {
    const good = writeIdx([2], Uint8Array.from([1, 2]));
    const badMagic = good.slice();
    badMagic[1] = 0x08;
    expect(() => parseIdx(badMagic)).toThrow(
      /magic number must start with two zero bytes, got 0x00 0x08/,
    );
    const badType = good.slice();
    badType[2] = 0x0a;
    expect(() => parseIdx(badType)).toThrow(
      /type code 0x0a is unknown: expected one of 0x08 \(u8\)/,
    );
    expect(() => parseIdx(Uint8Array.from([0x50, 0x4b, 3, 4]))).toThrow(FormatError); // a zip file
  });

  it('refuses absurd dimensions before allocating anything', () => {
    // 2^32-1 x 2^32-1 f64 elements (~1.5e20 bytes) claimed by a 20-byte file.
    const bytes = Uint8Array.from([
      0, 0, 0x0e, 2, 255, 255, 255, 255, 255, 255, 255, 255, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(() => parseIdx(bytes)).toThrow(
      /need more bytes than any file holds, the file holds 8 bytes/,
    );
  });

  it('refuses corrupt gzip and gzip that expands beyond the limit', () => {
    const zipped = new Uint8Array(gzipSync(writeIdx([1000], new Uint8Array(1000))));
    const corrupt = zipped.slice();
    corrupt[zipped.length - 6] ^= 0xff; // breaks the CRC-32 / size trailer
    expect(() => readIdx(corrupt)).toThrow(/gzip stream could not be decompressed/);
    expect(() => readIdx(zipped.subarray(0, zipped.length - 10))).toThrow(FormatError);
    expect(() => readIdx(zipped, { maxBytes: 500 })).toThrow(/at most 500 bytes uncompressed/);
    expect(readIdx(zipped, { maxBytes: 1012 }).dims).toEqual([1000]);
  });

  it('points to readIdx when parseIdx is given gzip', () => {
    const zipped = new Uint8Array(gzipSync(writeIdx([1], Uint8Array.from([1]))));
    expect(() => parseIdx(zipped)).toThrow(
      /gzip-compressed.*readIdx from '@typedlearn\/data\/node'/,
    );
  });

  it('names the file in errors of readIdxFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typedlearn-idx-'));
    const path = join(dir, 'broken-idx1-ubyte');
    writeFileSync(path, writeIdx([4], new Uint8Array(4)).subarray(0, 10));
    expect(() => readIdxFile(path)).toThrow(new RegExp(`${path}: IDX data is truncated`));
  });

  it('writeIdx refuses dimensions that do not match the data', () => {
    expect(() => writeIdx([2, 2], new Uint8Array(3))).toThrow(ShapeError);
    expect(() => writeIdx([-1], new Uint8Array(0))).toThrow(/integers in 0..2\^32-1/);
  });
});
