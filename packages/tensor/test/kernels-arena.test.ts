// KernelsArena: arrays in the WebAssembly kernels memory, used in place by the kernels. The
// kernels must give exactly the numbers they give on ordinary arrays (which they copy in and
// out), and the arrays must stay valid while the memory grows and until the arena is released.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DTypeError,
  KernelsArena,
  ValueError,
  Rng,
  SparseRows,
  adamStep,
  allocate,
  isShared,
  reluBackward,
  reluInPlace,
  setBackend,
  sparseDenseProduct,
  sparseTransposeDenseProduct,
} from '@typedlearn/tensor';
import { localKernels, ownMemoryOf } from '../src/wasm/kernels.js';
import { randomArray } from './helpers/reference.js';

afterAll(() => setBackend('auto'));

/** A copy of `source` made by `arena` (in the kernels memory when it can be). */
function inArena(arena: KernelsArena, source: Float32Array): Float32Array {
  const array = arena.allocate('float32', source.length);
  array.set(source);
  return array;
}

/** A rows x cols matrix with about a fifth of its values nonzero, as MNIST's pixels. */
function sparseMatrix(rng: Rng, rows: number, cols: number): Float32Array {
  return randomArray(rng, rows * cols).map((value) => (Math.abs(value) < 0.2 ? value : 0));
}

describe('KernelsArena on wasm-simd', () => {
  beforeAll(() => setBackend('wasm-simd'));

  it('allocates zeroed, shared arrays in the kernels memory that survive its growth', () => {
    const kernels = localKernels();
    const arena = new KernelsArena(allocate);
    const ints = arena.allocate('int32', 1000);
    const floats = arena.allocate('float32', 1001);
    expect(ints).toBeInstanceOf(Int32Array);
    expect(kernels.offsetOf(ints)).toBeGreaterThanOrEqual(0);
    expect(kernels.offsetOf(floats)).toBe(floats.byteOffset);
    expect(isShared(floats)).toBe(true);
    expect(floats.every((value) => value === 0)).toBe(true);
    floats.fill(2.5);
    // 64 MiB more makes the memory grow: a new buffer object, the old views still valid.
    const before = kernels.memory.buffer;
    const large = arena.allocate('float64', 8 * 1024 * 1024);
    expect(kernels.memory.buffer).not.toBe(before);
    expect(kernels.offsetOf(floats)).toBe(floats.byteOffset);
    expect(kernels.floats()[floats.byteOffset / 4 + 1000]).toBe(2.5);
    expect(kernels.offsetOf(large)).toBeGreaterThanOrEqual(0);
    expect(kernels.offsetOf(new Float32Array(4))).toBe(-1);
    // Bad requests are refused before anything is reserved.
    expect(() => arena.allocate('float16' as 'float32', 4)).toThrow(DTypeError);
    expect(() => arena.allocate('float32', -1)).toThrow(ValueError);
    // Released ranges are handed out again.
    const offset = floats.byteOffset;
    arena.release();
    const again = new KernelsArena(allocate);
    expect(again.allocate('int32', 1000).byteOffset).toBe(ints.byteOffset);
    expect(again.allocate('float32', 1001).byteOffset).toBe(offset);
    again.release();
  });

  it('gives the Adam step, the sparse products and ReLU the numbers of ordinary arrays', () => {
    const rng = new Rng(5);
    const arena = new KernelsArena(allocate);
    try {
      // Adam on a range that does not start at 0.
      const n = 103;
      const plain = [0, 1, 2, 3].map(() => randomArray(rng, n).map(Math.abs));
      const resident = plain.map((array) => inArena(arena, array));
      adamStep(plain[0], plain[1], plain[2], plain[3], 7, 99, 0.9, 0.999, 0.003, 1e-7);
      adamStep(resident[0], resident[1], resident[2], resident[3], 7, 99, 0.9, 0.999, 0.003, 1e-7); // prettier-ignore
      expect(localKernels().offsetOf(resident[0])).toBeGreaterThanOrEqual(0);
      for (let k = 0; k < 4; k++) expect(resident[k]).toEqual(plain[k]);

      // The products, with X, B, G and C in the arena, for each beta.
      const [rows, cols, units] = [23, 41, 12];
      const dense = sparseMatrix(rng, rows, cols);
      const x = SparseRows.fromDense(dense, rows, cols);
      const xIn = SparseRows.fromDense(dense, rows, cols, arena.allocate);
      expect(localKernels().offsetOf(xIn.values)).toBeGreaterThanOrEqual(0);
      const rowList = Int32Array.of(3, 0, 22, 7, 7, 15);
      const count = rowList.length;
      const b = randomArray(rng, cols * units);
      const g = randomArray(rng, count * units);
      for (const beta of [0, 1, 0.5]) {
        const c = randomArray(rng, count * units);
        const cIn = inArena(arena, c);
        sparseDenseProduct(x, rowList, 0, count, false, units, b, units, beta, c, units);
        sparseDenseProduct(xIn, rowList, 0, count, false, units, inArena(arena, b), units, beta, cIn, units); // prettier-ignore
        expect(cIn).toEqual(c);
        const dW = randomArray(rng, cols * units);
        const dWIn = inArena(arena, dW);
        sparseTransposeDenseProduct(x, rowList, 0, count, units, g, units, beta, dW, units);
        sparseTransposeDenseProduct(xIn, rowList, 0, count, units, inArena(arena, g), units, beta, dWIn, units); // prettier-ignore
        expect(dWIn).toEqual(dW);
      }

      // In place with row strides: a range of 8 of 12 units, and rows [5, 30) of dW.
      {
        const stride = 12;
        const bWide = randomArray(rng, cols * stride);
        const cWide = randomArray(rng, count * stride);
        const cWideIn = inArena(arena, cWide);
        sparseDenseProduct(x, rowList, 0, count, false, 8, bWide.subarray(4), stride, 1, cWide.subarray(4), stride); // prettier-ignore
        sparseDenseProduct(xIn, rowList, 0, count, false, 8, inArena(arena, bWide).subarray(4), stride, 1, cWideIn.subarray(4), stride); // prettier-ignore
        expect(cWideIn).toEqual(cWide);
        const gWide = randomArray(rng, count * stride);
        const dW = randomArray(rng, cols * stride);
        const dWIn = inArena(arena, dW);
        sparseTransposeDenseProduct(x, rowList, 0, count, 8, gWide.subarray(4), stride, 0, dW.subarray(4), stride, 5, 30); // prettier-ignore
        sparseTransposeDenseProduct(xIn, rowList, 0, count, 8, inArena(arena, gWide).subarray(4), stride, 0, dWIn.subarray(4), stride, 5, 30); // prettier-ignore
        expect(dWIn).toEqual(dW);
      }

      // ReLU, including NaN, -0 and a length that is not a multiple of 4.
      const z = Float32Array.from([...randomArray(rng, 37), NaN, -0, 0, -1e-30]);
      const a = z.slice();
      const zIn = inArena(arena, z);
      setBackend('js');
      reluInPlace(z, 2, z.length);
      setBackend('wasm-simd');
      reluInPlace(zIn, 2, z.length);
      expect(Array.from(zIn, (value, i) => Object.is(value, z[i]))).not.toContain(false);
      const delta = randomArray(rng, a.length);
      const deltaIn = inArena(arena, delta);
      setBackend('js');
      reluBackward(a, delta, 1, a.length);
      setBackend('wasm-simd');
      reluBackward(inArena(arena, a), deltaIn, 1, a.length);
      expect(deltaIn).toEqual(delta);
      expect(delta[0]).not.toBe(0); // before `start`: untouched
    } finally {
      arena.release();
    }
  });
});

describe('KernelsArena on a memory of its own', () => {
  beforeAll(() => setBackend('wasm-simd'));

  it('keeps its arrays apart from the thread’s memory, zeroed, and never grows', () => {
    let fallbacks = 0;
    const counting = ((type: 'float32', length: number) => {
      fallbacks++;
      return allocate(type, length);
    }) as typeof allocate;
    const arena = KernelsArena.ownMemory(2 ** 20, counting);
    const a = arena.allocate('float64', 1000);
    const own = ownMemoryOf(a);
    expect(own).toBeDefined();
    expect(own?.holds(a)).toBe(true);
    expect(localKernels().offsetOf(a)).toBe(-1);
    expect(isShared(a)).toBe(false);
    expect(a.every((value) => value === 0)).toBe(true);

    // A child's release gives back its own arrays only; a range handed out again is zeroed.
    const child = arena.child();
    const b = child.allocate('float32', 100);
    expect(ownMemoryOf(b)).toBe(own);
    b.fill(7);
    child.release();
    expect(a.byteOffset).not.toBe(b.byteOffset);
    const again = arena.child().allocate('float32', 100);
    expect(again.byteOffset).toBe(b.byteOffset);
    expect(again.every((value) => value === 0)).toBe(true);

    // What does not fit comes from the fallback; the memory keeps its buffer.
    const large = arena.allocate('float64', 2 ** 20);
    expect(fallbacks).toBe(1);
    expect(ownMemoryOf(large)).toBeUndefined();
    expect(ownMemoryOf(a)).toBe(own);
    expect(a.length).toBe(1000);
    expect(() => KernelsArena.ownMemory(-1, allocate)).toThrow(ValueError);
  });
});

describe('KernelsArena on js', () => {
  it('is the fallback allocator', () => {
    setBackend('js');
    let calls = 0;
    const counting = ((type: 'float32', length: number) => {
      calls++;
      return allocate(type, length);
    }) as typeof allocate;
    for (const arena of [new KernelsArena(counting), KernelsArena.ownMemory(2 ** 20, counting)]) {
      const array = arena.allocate('float32', 10);
      expect(array.buffer).toBeInstanceOf(ArrayBuffer);
      expect(ownMemoryOf(array)).toBeUndefined();
      arena.release();
    }
    expect(calls).toBe(2);
  });
});
