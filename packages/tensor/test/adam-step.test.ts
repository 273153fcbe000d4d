// The Adam step kernel on both backends: the rule's values, computed by hand in float64, and
// ranges split between calls giving exactly the numbers of one call.
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, Rng, ShapeError, adamStep, setBackend } from '@typedlearn/tensor';
import { randomArray } from './helpers/reference.js';

afterAll(() => setBackend('auto'));

describe.each(BACKENDS)('adamStep on %s', (backend) => {
  it('updates w, m and v by the Adam rule', () => {
    setBackend(backend);
    const rng = new Rng(3);
    const n = 37; // not a multiple of 4: a scalar tail
    const w = randomArray(rng, n);
    const g = randomArray(rng, n);
    const m = randomArray(rng, n);
    const v = randomArray(rng, n).map(Math.abs);
    const [w0, m0, v0] = [w.slice(), m.slice(), v.slice()];
    adamStep(w, g, m, v, 0, n, 0.9, 0.999, 0.01, 1e-8);
    for (let i = 0; i < n; i++) {
      const mi = 0.9 * m0[i] + 0.1 * g[i];
      const vi = 0.999 * v0[i] + 0.001 * g[i] * g[i];
      expect(m[i]).toBeCloseTo(mi, 6);
      expect(v[i]).toBeCloseTo(vi, 6);
      const wi = w0[i] - (0.01 * mi) / (Math.sqrt(vi) + 1e-8);
      expect(Math.abs(w[i] - wi)).toBeLessThanOrEqual(1e-6 * (Math.abs(wi) + 0.01));
    }
  });

  it('leaves elements outside [start, end) alone, and split ranges match one call', () => {
    setBackend(backend);
    const rng = new Rng(4);
    const n = 103;
    const make = () => [randomArray(rng, n), randomArray(rng, n), randomArray(rng, n), randomArray(rng, n).map(Math.abs)]; // prettier-ignore
    const [w, g, m, v] = make();
    const [w2, m2, v2] = [w.slice(), m.slice(), v.slice()];
    adamStep(w, g, m, v, 0, n, 0.9, 0.999, 0.003, 1e-7);
    for (const [start, end] of [
      [0, 5],
      [5, 50],
      [50, 51],
      [51, 103],
    ]) {
      adamStep(w2, g, m2, v2, start, end, 0.9, 0.999, 0.003, 1e-7);
    }
    expect(w2).toEqual(w);
    expect(m2).toEqual(m);
    expect(v2).toEqual(v);
    const [w3, g3, m3, v3] = make();
    const before = w3.slice();
    adamStep(w3, g3, m3, v3, 10, 20, 0.9, 0.999, 0.003, 1e-7);
    expect(w3.subarray(0, 10)).toEqual(before.subarray(0, 10));
    expect(w3.subarray(20)).toEqual(before.subarray(20));
    expect(() => adamStep(w3, g3, m3, new Float32Array(5), 0, 10, 0.9, 0.999, 1, 1)).toThrow(ShapeError); // prettier-ignore
  });
});

describe('adamStep on wasm-simd', () => {
  it('makes no subnormal: tiny moments become 0, tiny gradients leave their terms out', () => {
    setBackend('wasm-simd');
    const n = 7; // four lanes and a scalar tail of three
    const w = new Float32Array(n).fill(0.01);
    const g = new Float32Array(n);
    // Decaying moments of a parameter whose gradient stopped: beta1 m and beta2 v are subnormal.
    const m = new Float32Array(n).fill(1e-38);
    const v = new Float32Array(n).fill(1e-38);
    m[1] = -1e-38;
    // A normal moment stays as computed.
    m[2] = 1e-3;
    v[2] = 1e-3;
    // A gradient whose square is below 2^-126 still moves m, but adds nothing to v.
    g[5] = 1e-20;
    m[5] = 0;
    v[5] = 1e-3;
    adamStep(w, g, m, v, 0, n, 0.9, 0.999, 0.001, 1e-8);
    const keep1 = Math.fround(1 - Math.fround(0.9)); // 1 - beta1, in float32 as the kernel has it
    expect(m[5]).toBe(Math.fround(keep1 * Math.fround(1e-20)));
    expect(v[5]).toBe(Math.fround(Math.fround(0.999) * Math.fround(1e-3)));
    for (const i of [0, 1, 3, 4, 6]) {
      expect(m[i]).toBe(0);
      expect(v[i]).toBe(0);
      expect(w[i]).toBe(Math.fround(0.01));
    }
    expect(m[2]).toBe(Math.fround(Math.fround(0.9) * Math.fround(1e-3)));
    expect(v[2]).toBe(Math.fround(Math.fround(0.999) * Math.fround(1e-3)));
  });
});
