// applyDropoutMask: inverted dropout's mask, in place. The JavaScript loop is checked against
// the definition; the wasm-simd kernel, on arrays in a KernelsArena, against the loop, bit for bit.
import { afterAll, describe, expect, it } from 'vitest';
import { KernelsArena, Rng, allocate, applyDropoutMask, setBackend } from '@typedlearn/tensor';
import { localKernels } from '../src/wasm/kernels.js';
import { randomArray } from './helpers/reference.js';

afterAll(() => setBackend('auto'));

const KEEP = 0.7;

/** Values with NaN, infinities and both zeros among them, and a random mask over them. */
function problem(length: number): { values: Float32Array; mask: Uint8Array } {
  const rng = new Rng(11);
  const values = randomArray(rng, length);
  values.set([NaN, Infinity, -Infinity, -0, 0, NaN, -Infinity, 3.4e38], 3);
  const mask = new Uint8Array(length);
  rng.bernoulli(mask, KEEP);
  mask.set([0, 0, 0, 1, 1, 1, 1, 1], 3); // dropped NaN and infinities; kept -0, NaN, overflow
  return { values, mask };
}

/** Object.is, element by element: NaN equals NaN, -0 differs from 0. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

describe('applyDropoutMask', () => {
  it('on js: kept values times 1 / keep rounded to float32, dropped ones 0, outside untouched', () => {
    setBackend('js');
    const { values, mask } = problem(41);
    const before = values.slice();
    applyDropoutMask(values, mask, KEEP, 2, 39);
    for (let i = 0; i < values.length; i++) {
      const expected =
        i < 2 || i >= 39 ? before[i] : mask[i] === 1 ? Math.fround(before[i] * (1 / KEEP)) : 0;
      expect(Object.is(values[i], expected), `element ${i}`).toBe(true);
    }
    expect(values[6]).toBe(-0 * (1 / KEEP)); // a kept -0 stays -0
    expect(values[10]).toBe(Infinity); // 3.4e38 / 0.7 overflows float32
  });

  it('on wasm-simd, in the kernels memory, gives the JavaScript loop’s bits at any offset', () => {
    setBackend('wasm-simd');
    const arena = new KernelsArena(allocate);
    try {
      for (const [length, start, end] of [
        [41, 2, 39],
        [64, 0, 64],
        [13, 1, 12],
      ]) {
        const { values, mask } = problem(length);
        setBackend('wasm-simd');
        const residentValues = arena.allocate('float32', length);
        const residentMask = arena.allocate('uint8', length);
        residentValues.set(values);
        residentMask.set(mask);
        expect(localKernels().holds(residentValues, residentMask)).toBe(true);
        applyDropoutMask(residentValues, residentMask, KEEP, start, end);
        setBackend('js');
        applyDropoutMask(values, mask, KEEP, start, end);
        expect(sameBits(residentValues, values), `length ${length}`).toBe(true);
      }
    } finally {
      arena.release();
    }
  });
});
