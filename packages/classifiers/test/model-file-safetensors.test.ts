import { describe, expect, it } from 'vitest';
import { FormatError, Tensor } from '@typedlearn/tensor';
import {
  MAX_HEADER_BYTES,
  decodeSafetensors,
  encodeSafetensors,
} from '../src/model-file/safetensors.js';

/** A safetensors file assembled by hand: header JSON (padded to 8 bytes) and a raw buffer. */
function assemble(header: string, buffer: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const padded = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + padded + buffer.length).fill(0x20, 8, 8 + padded);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(padded), true);
  bytes.set(json, 8);
  bytes.set(buffer, 8 + padded);
  return bytes;
}

/** The 8-byte little-endian header length that starts every file. */
function lengthField(n: number): number[] {
  return [n, 0, 0, 0, 0, 0, 0, 0];
}

function float32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

describe('encodeSafetensors matches the reference implementation byte for byte', () => {
  // Expected bytes from the reference implementation's own tests (safetensors/src/tensor.rs).
  it('writes one F32 tensor with a header that needs no padding', () => {
    const bytes = encodeSafetensors(
      { 'attn.0': new Tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [1, 2, 3]) },
      {},
    );
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(Array.from(bytes)).toEqual([
      ...lengthField(64),
      ...new TextEncoder().encode(header),
      ...float32Bytes([0, 1, 2, 3, 4, 5]),
    ]);
  });

  it('pads the header with spaces so the tensor data is 8-byte aligned', () => {
    const bytes = encodeSafetensors(
      { attn0: new Tensor(Float32Array.from([0, 1, 2, 3, 4, 5]), [1, 1, 2, 3]) },
      {},
    );
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(65);
    expect(Array.from(bytes)).toEqual([
      ...lengthField(72),
      ...new TextEncoder().encode(header + ' '.repeat(7)),
      ...float32Bytes([0, 1, 2, 3, 4, 5]),
    ]);
  });

  it('writes metadata-only files as the reference does', () => {
    expect(Array.from(encodeSafetensors({}, {}))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    const bytes = encodeSafetensors({}, { framework: 'pt' });
    expect(Array.from(bytes)).toEqual([
      ...lengthField(40),
      ...new TextEncoder().encode('{"__metadata__":{"framework":"pt"}}     '),
    ]);
  });

  it('orders tensors by element size, then name, so each is aligned to its size', () => {
    const bytes = encodeSafetensors(
      {
        b: new Tensor<'uint8'>(Uint8Array.from([7]), [1]),
        a: new Tensor<'uint8'>(Uint8Array.from([1, 2, 3]), [3]),
        z: new Tensor<'int32'>(Int32Array.from([-1, 2]), [2]),
        y: new Tensor(Float32Array.from([0.5]), [1]),
      },
      {},
    );
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(Object.keys(header)).toEqual(['y', 'z', 'a', 'b']);
    expect(header.y.data_offsets).toEqual([0, 4]);
    expect(header.z.data_offsets).toEqual([4, 12]);
    expect(header.a.data_offsets).toEqual([12, 15]);
    expect(header.b.data_offsets).toEqual([15, 16]);
  });

  it('refuses a tensor named __metadata__', () => {
    expect(() => encodeSafetensors({ __metadata__: Tensor.zeros([1]) }, {})).toThrow(FormatError);
  });
});

describe('decodeSafetensors', () => {
  it('reads the example of the reference documentation (I32 [2, 2])', () => {
    const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    const bytes = new Uint8Array(8 + header.length + 16);
    bytes[0] = header.length; // 60: the reference example is not padded, which readers accept
    bytes.set(new TextEncoder().encode(header), 8);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({});
    expect(tensors.test.dtype).toBe('int32');
    expect(tensors.test.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('round-trips every dtype, strided views, scalars and empty tensors', () => {
    const matrix = new Tensor(Float32Array.from([1.5, -2, 3e-8, 4, Infinity, NaN]), [2, 3]);
    const tensors = {
      matrix,
      transposed: matrix.transpose(),
      labels: new Tensor<'int32'>(Int32Array.from([-2147483648, 0, 2147483647]), [3]),
      pixels: new Tensor<'uint8'>(Uint8Array.from([0, 128, 255, 1]), [2, 2]),
      scalar: new Tensor(Float32Array.from([42]), []),
      empty: new Tensor(new Float32Array(0), [0, 5]),
    };
    const decoded = decodeSafetensors(encodeSafetensors(tensors, { note: 'ünïcode ✓' }));
    expect(decoded.metadata).toEqual({ note: 'ünïcode ✓' });
    for (const [name, tensor] of Object.entries(tensors)) {
      expect(decoded.tensors[name].dtype).toBe(tensor.dtype);
      expect(decoded.tensors[name].shape).toEqual(tensor.shape);
      expect(decoded.tensors[name].toArray()).toEqual(tensor.toArray());
    }
  });

  it('reads bytes that sit at an odd offset inside a larger buffer', () => {
    const file = encodeSafetensors({ w: new Tensor(Float32Array.from([1, 2, 3]), [3]) }, {});
    const host = new Uint8Array(file.length + 3);
    host.set(file, 3);
    expect(decodeSafetensors(host.subarray(3)).tensors.w.toArray()).toEqual([1, 2, 3]);
  });

  it('copies the tensors out of the file bytes', () => {
    const file = encodeSafetensors({ w: new Tensor<'uint8'>(Uint8Array.from([5]), [1]) }, {});
    const { tensors } = decodeSafetensors(file);
    file.fill(0);
    expect(tensors.w.toArray()).toEqual([5]);
  });

  it('keeps a tensor named __proto__ as an ordinary entry', () => {
    const bytes = assemble(
      '{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}',
      Uint8Array.from([9]),
    );
    const { tensors } = decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
  });

  const u8 = (offsets: string, shape = '[2]', extra = '') =>
    `{"t":{"dtype":"U8","shape":${shape},"data_offsets":${offsets}${extra}}}`;

  const refusals: [string, Uint8Array, RegExp][] = [
    ['fewer than 8 bytes', Uint8Array.from([1, 0, 0]), /3 bytes, fewer than the 8-byte/],
    [
      'a header length past the end',
      (() => {
        const b = assemble('{}');
        b[0] = 200;
        return b;
      })(),
      /header length is 200 bytes but only 8 bytes follow/,
    ],
    [
      'a header length of 2^64 - 1',
      Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 255, 123, 125]),
      /18446744073709551615 bytes, more than the limit of 100000000/,
    ],
    ['a header that is not UTF-8', assemble('{"\u0000"}').fill(0xff, 9, 10), /not valid UTF-8/],
    ['a header that is not an object', assemble('[1, 2]'), /must be a JSON object starting/],
    ['a header that is not JSON', assemble('{"t": '), /not valid JSON/],
    ['metadata that is not strings', assemble('{"__metadata__":{"n":1}}'), /'n' is number/],
    ['an entry that is not an object', assemble('{"t":[1]}'), /tensor 't' must be an object/],
    [
      'an unknown entry key',
      assemble(u8('[0,2]', '[2]', ',"x":1'), new Uint8Array(2)),
      /unknown key 'x'/,
    ],
    [
      'an unsupported dtype',
      assemble('{"t":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', new Uint8Array(2)),
      /dtype "F16"; typedlearn reads F32, I32, U8/,
    ],
    ['a negative dimension', assemble(u8('[0,2]', '[-2]'), new Uint8Array(2)), /shape \[-2\]/],
    ['a fractional dimension', assemble(u8('[0,2]', '[1.5]'), new Uint8Array(2)), /shape \[1.5\]/],
    ['reversed offsets', assemble(u8('[2,0]'), new Uint8Array(2)), /outside the 2-byte buffer/],
    [
      'offsets past the buffer',
      assemble(u8('[0,4]'), new Uint8Array(2)),
      /outside the 2-byte buffer/,
    ],
    [
      'a shape that does not fill its span',
      assemble(u8('[0,2]', '[3]'), new Uint8Array(2)),
      /needs more than 3 bytes, but its data_offsets span 2/,
    ],
    [
      'a shape whose size overflows',
      assemble(u8('[0,2]', '[4294967296,4294967296,4294967296]'), new Uint8Array(2)),
      /needs more than/,
    ],
    [
      'trailing bytes',
      assemble(u8('[0,2]'), new Uint8Array(3)),
      /cover 2 bytes but the buffer after the header holds 3/,
    ],
    [
      'overlapping tensors',
      assemble(
        '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}',
        new Uint8Array(3),
      ),
      /overlaps the tensor before it/,
    ],
    [
      'a gap between tensors',
      assemble(
        '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"U8","shape":[1],"data_offsets":[2,3]}}',
        new Uint8Array(3),
      ),
      /bytes \[1, 2\) of the buffer belong to no tensor/,
    ],
  ];

  it.each(refusals)('refuses %s with a FormatError naming the source', (_, bytes, message) => {
    expect(() => decodeSafetensors(bytes, 'model.safetensors')).toThrow(FormatError);
    expect(() => decodeSafetensors(bytes, 'model.safetensors')).toThrow(
      /^model.safetensors is not a valid safetensors file: /,
    );
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  });

  it('refuses a header just over the limit without reading it', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(MAX_HEADER_BYTES + 1), true);
    expect(() => decodeSafetensors(bytes)).toThrow(/more than the limit/);
  });

  it('survives absurdly deep JSON nesting with a clear error', () => {
    const depth = 1_000_000;
    const header = `{"t":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(() => decodeSafetensors(assemble(header))).toThrow(/tensor 't' must be an object/);
  });
});
