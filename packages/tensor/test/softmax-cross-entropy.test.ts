// The fused softmax cross-entropy on both backends against the definition, computed here
// row by row in float64: loss = sum_i w_i (log sum_k exp z_ik - z_i,y_i), and gradient rows
// scale w_i (softmax(z_i) - onehot(y_i)).
import { afterAll, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  KernelsArena,
  Rng,
  allocate,
  setBackend,
  softmaxCrossEntropy,
} from '@typedlearn/tensor';

afterAll(() => setBackend('auto'));

function reference(
  z: Float64Array,
  labels: Int32Array,
  rows: number,
  classes: number,
  scale: number,
  weights: Float64Array | null,
): { loss: number; gradient: Float64Array } {
  const gradient = new Float64Array(rows * classes);
  let loss = 0;
  for (let i = 0; i < rows; i++) {
    const row = Array.from(z.subarray(i * classes, (i + 1) * classes));
    const max = Math.max(...row);
    const total = row.reduce((sum, value) => sum + Math.exp(value - max), 0);
    const weight = weights === null ? 1 : weights[i];
    loss += weight * (max + Math.log(total) - row[labels[i]]);
    for (let k = 0; k < classes; k++) {
      const p = Math.exp(row[k] - max) / total;
      gradient[i * classes + k] = scale * weight * (p - (k === labels[i] ? 1 : 0));
    }
  }
  return { loss, gradient };
}

describe.each(BACKENDS)('softmaxCrossEntropy on %s', (backend) => {
  it('matches the definition for float64 rows, weighted or not, in place or not', () => {
    setBackend(backend);
    const rng = new Rng(11);
    for (const classes of [10, 7, 1]) {
      const rows = 23;
      const z = Float64Array.from({ length: rows * classes }, () => 20 * (rng.uniform() - 0.5));
      const labels = Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * classes));
      for (const weights of [null, Float64Array.from({ length: rows }, () => rng.uniform())]) {
        const expected = reference(z, labels, rows, classes, 0.25, weights);
        const arena = new KernelsArena(allocate);
        try {
          const resident = arena.allocate('float64', rows * classes);
          resident.set(z);
          const separate = new Float64Array(rows * classes);
          const cases = [
            [z.slice(), separate], // a separate gradient
            [resident, resident], // in place, in the kernels memory on wasm-simd
          ] as const;
          for (const [logits, gradient] of cases) {
            const loss = softmaxCrossEntropy(logits, labels, rows, classes, 0.25, gradient, weights); // prettier-ignore
            expect(Math.abs(loss - expected.loss)).toBeLessThanOrEqual(1e-13 * expected.loss);
            for (let i = 0; i < rows * classes; i++) {
              expect(Math.abs(gradient[i] - expected.gradient[i])).toBeLessThan(1e-15);
            }
          }
        } finally {
          arena.release();
        }
      }
    }
  });

  it('computes float32 rows too', () => {
    setBackend(backend);
    const z = Float32Array.of(1, 2, 3, -1, 0, 1);
    const gradient = new Float32Array(6);
    const loss = softmaxCrossEntropy(z, Int32Array.of(2, 0), 2, 3, 1, gradient);
    const expected = reference(Float64Array.from(z), Int32Array.of(2, 0), 2, 3, 1, null);
    expect(loss).toBeCloseTo(expected.loss, 6);
    for (let i = 0; i < 6; i++) expect(gradient[i]).toBeCloseTo(expected.gradient[i], 6);
  });
});
