import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  type BlockWidth,
  CsrBlockDots,
  DTypeError,
  Rng,
  ShapeError,
  ValueError,
  setBackend,
} from '@typedlearn/tensor';

const BACKENDS: Backend[] = ['js', 'wasm-simd'];
const WIDTHS: BlockWidth[] = [1, 2, 4, 8];

/** A random rows x cols CSR matrix with about `density` of its values non-zero, and the same dense. */
function randomCsr(rng: Rng, rows: number, cols: number, density: number) {
  const rowStart = new Int32Array(rows + 1);
  const columns: number[] = [];
  const values: number[] = [];
  const dense = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      if (rng.uniform() < density) {
        const v = Math.fround(2 * rng.uniform() - 1);
        columns.push(k);
        values.push(v);
        dense[r * cols + k] = v;
      }
    }
    rowStart[r + 1] = columns.length;
  }
  return { rowStart, columns: Uint16Array.from(columns), values: Float32Array.from(values), dense };
}

/** `width` random float32 query rows, interleaved: q[k * width + r] = q_r[k]. */
function randomQueries(rng: Rng, cols: number, width: number): number[] {
  return Array.from({ length: cols * width }, () => Math.fround(2 * rng.uniform() - 1));
}

/** q_r . x_row summed in float64 over the row's non-zeros in order: what both backends compute. */
function reference(
  csr: ReturnType<typeof randomCsr>,
  queries: number[],
  width: number,
  r: number,
  row: number,
): number {
  let sum = 0;
  for (let q = csr.rowStart[row]; q < csr.rowStart[row + 1]; q++) {
    sum += queries[csr.columns[q] * width + r] * csr.values[q];
  }
  return sum;
}

describe.each(BACKENDS)('CsrBlockDots on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('uses the backend active when it was made', () => {
    expect(new CsrBlockDots(new Int32Array(1), new Uint16Array(0), new Float32Array(0), 0, 3).backend).toBe(backend); // prettier-ignore
  });

  for (const [cols, density] of [
    [1, 0.7],
    [9, 0.5],
    [100, 0.2],
    [784, 0.19],
    // Every column stored (dense rows, as principal components): the wasm kernel's full path.
    [80, 1],
  ] as const) {
    it(`gives the float64 sums of ${cols}-feature rows exactly, for every block width`, () => {
      const rng = new Rng(cols);
      const rows = 37;
      const csr = randomCsr(rng, rows, cols, density);
      const set = new CsrBlockDots(csr.rowStart, csr.columns, csr.values, rows, cols);
      const targets = Int32Array.from({ length: 30 }, () => rng.int(rows));
      const [from, to] = [3, 26]; // 23 targets: every kernel's tail too
      const stride = 31;
      for (const width of WIDTHS) {
        const queries = randomQueries(rng, cols, width);
        const out = new Float64Array(width * stride).fill(-7);
        set.blockDots(queries, width, targets, from, to, out, stride);
        for (let r = 0; r < width; r++) {
          for (let t = 0; t < stride; t++) {
            const expected =
              t >= from && t < to ? reference(csr, queries, width, r, targets[t]) : -7;
            expect(out[r * stride + t]).toBe(expected);
          }
        }
        // A Float64Array of queries gives the same.
        const again = new Float64Array(width * stride).fill(-7);
        set.blockDots(Float64Array.from(queries), width, targets, from, to, again, stride);
        expect(again).toEqual(out);
      }
    });
  }

  for (const [cols, density] of [
    [9, 0.5],
    [784, 0.19],
    [80, 1],
  ] as const) {
    it(`gives float32 sums of ${cols}-feature rows, the same bits as Math.fround's, for every width`, () => {
      const rng = new Rng(cols + 1);
      const rows = 37;
      const csr = randomCsr(rng, rows, cols, density);
      const set = new CsrBlockDots(csr.rowStart, csr.columns, csr.values, rows, cols, { precision: 'float32' }); // prettier-ignore
      expect(set.precision).toBe('float32');
      const targets = Int32Array.from({ length: 30 }, () => rng.int(rows));
      const [from, to] = [3, 26];
      const stride = 31;
      for (const width of WIDTHS) {
        // Queries not all float32: they are rounded to float32 first.
        const queries = randomQueries(rng, cols, width).map((q, k) => (k % 3 === 0 ? q + 1e-9 : q));
        const out = new Float64Array(width * stride).fill(-7);
        set.blockDots(queries, width, targets, from, to, out, stride);
        for (let r = 0; r < width; r++) {
          for (let t = 0; t < stride; t++) {
            if (t < from || t >= to) {
              expect(out[r * stride + t]).toBe(-7);
              continue;
            }
            const row = targets[t];
            let sum = 0;
            let magnitude = 0;
            for (let q = csr.rowStart[row]; q < csr.rowStart[row + 1]; q++) {
              const product = Math.fround(queries[csr.columns[q] * width + r]) * csr.values[q];
              sum = Math.fround(sum + Math.fround(product));
              magnitude += Math.abs(product);
            }
            expect(out[r * stride + t]).toBe(sum);
            // Within the textbook bound of a float32 sum of n products: n 2^-24 sum |q_k x_k|.
            const n = csr.rowStart[row + 1] - csr.rowStart[row];
            const exact = reference(csr, queries.map(Math.fround), width, r, row);
            expect(Math.abs(sum - exact)).toBeLessThanOrEqual(n * 2 ** -24 * magnitude * 1.001);
          }
        }
      }
    });
  }

  it.each(['float64', 'float32'] as const)(
    'computes RBF kernel values exp(-gamma |q - x|^2) in the same pass (%s sums)',
    (precision) => {
      const rng = new Rng(11);
      const [rows, cols] = [41, 784];
      const csr = randomCsr(rng, rows, cols, 0.19);
      const set = new CsrBlockDots(csr.rowStart, csr.columns, csr.values, rows, cols, { precision }); // prettier-ignore
      const targets = Int32Array.from({ length: rows }, (_, t) => (7 * t) % rows);
      for (let r = 0; r < rows; r++) {
        let norm = 0;
        for (let k = 0; k < cols; k++) norm += csr.dense[r * cols + k] ** 2;
        expect(set.squaredNorms[r]).toBe(norm);
      }
      let worst = 0;
      for (const width of WIDTHS) {
        // Queries that are rows of the matrix, so that some distances are exactly 0.
        const queryRows = Array.from({ length: width }, (_, r) => (5 * r + 2) % rows);
        const queries = new Array<number>(cols * width).fill(0);
        queryRows.forEach((row, r) => {
          for (let k = 0; k < cols; k++) queries[k * width + r] = csr.dense[row * cols + k];
        });
        const queryNorms = queryRows.map((row) => set.squaredNorms[row]);
        for (const gamma of [0.0335, 1, 40]) {
          const out = new Float64Array(width * rows).fill(-7);
          set.blockGaussian(queries, queryNorms, gamma, width, targets, 1, rows, out, rows);
          const dots = new Float64Array(width * rows);
          set.blockDots(queries, width, targets, 0, rows, dots, rows);
          for (let r = 0; r < width; r++) {
            expect(out[r * rows]).toBe(-7);
            for (let t = 1; t < rows; t++) {
              const d = queryNorms[r] + set.squaredNorms[targets[t]] - 2 * dots[r * rows + t];
              const exponent = -gamma * Math.max(0, d);
              const expected = Math.exp(exponent);
              const got = out[r * rows + t];
              if (backend === 'js') {
                expect(got).toBe(expected);
              } else if (precision === 'float64') {
                // The vectorised exp: a few ulp; 0 below exp(-708).
                if (targets[t] === queryRows[r]) expect(got).toBe(expected);
                else expect(Math.abs(got - expected)).toBeLessThanOrEqual(4e-16 * expected + 3.4e-308); // prettier-ignore
              } else if (exponent < -87) {
                expect(got).toBe(0);
              } else {
                // The exponent rounded to float32 (|exponent| 2^-24), then a few float32 ulp.
                const error = Math.abs(got - expected) / expected;
                expect(error).toBeLessThanOrEqual((Math.abs(exponent) + 4) * 2 ** -24);
                worst = Math.max(worst, error);
              }
            }
          }
        }
      }
      if (backend === 'wasm-simd' && precision === 'float32') expect(worst).toBeGreaterThan(0);
    },
  );

  it('has an exp accurate to a few ulp over the whole range', () => {
    // One row, one feature: |q - x|^2 = (q - x)^2 with x = 1, so the exponent is -gamma (q - 1)^2.
    const set = new CsrBlockDots(Int32Array.of(0, 1), Uint16Array.of(0), Float32Array.of(1), 1, 1);
    const targets = new Int32Array(1);
    const out = new Float64Array(1);
    let worst = 0;
    for (let i = 0; i <= 4000; i++) {
      const exponent = -((i / 4000) ** 2) * 760; // 0 down to -760
      set.blockGaussian([0], [0], -exponent, 1, targets, 0, 1, out, 1); // |0 - 1|^2 = 1
      const expected = Math.exp(exponent);
      if (exponent < -708) {
        expect(out[0]).toBeLessThanOrEqual(expected + 3.4e-308);
        continue;
      }
      worst = Math.max(worst, Math.abs(out[0] - expected) / expected);
    }
    expect(worst).toBeLessThanOrEqual(4e-16);
    expect(() => set.blockGaussian([0], [0], -1, 1, targets, 0, 1, out, 1)).toThrow(/gamma must be a finite number >= 0/); // prettier-ignore
    expect(() => set.blockGaussian([0], [], 1, 1, targets, 0, 1, out, 1)).toThrow(/queryNorms must hold width = 1/); // prettier-ignore
  });

  it('has a float32 exp within 2 float32 ulp over the whole range', () => {
    const set = new CsrBlockDots(Int32Array.of(0, 1), Uint16Array.of(0), Float32Array.of(1), 1, 1, { precision: 'float32' }); // prettier-ignore
    const targets = new Int32Array(1);
    const out = new Float64Array(1);
    let worst = 0;
    for (let i = 0; i <= 4000; i++) {
      const exponent = Math.fround(-((i / 4000) ** 2) * 90); // 0 down to -90, exact in float32
      set.blockGaussian([0], [0], -exponent, 1, targets, 0, 1, out, 1); // |0 - 1|^2 = 1
      if (backend === 'js') {
        expect(out[0]).toBe(Math.exp(exponent));
      } else if (exponent < -87) {
        expect(out[0]).toBe(0);
      } else {
        worst = Math.max(worst, Math.abs(out[0] - Math.exp(exponent)) / Math.exp(exponent));
      }
    }
    expect(worst).toBeLessThanOrEqual(2 * 2 ** -23);
  });

  it('keeps a snapshot of the matrix', () => {
    const values = Float32Array.of(1, 2, 3);
    const set = new CsrBlockDots(Int32Array.of(0, 2, 3), Uint16Array.of(0, 1, 1), values, 2, 2);
    values.fill(0);
    const out = new Float64Array(2);
    set.blockDots([10, 100], 1, Int32Array.of(0, 1), 0, 2, out, 2);
    expect([...out]).toEqual([210, 300]);
  });

  it('handles empty ranges, empty rows and zero rows', () => {
    const set = new CsrBlockDots(Int32Array.of(0, 0, 1), Uint16Array.of(2), Float32Array.of(4), 2, 3); // prettier-ignore
    const out = Float64Array.of(-1, -1);
    set.blockDots([1, 1, 1], 1, Int32Array.of(0, 1), 1, 1, out, 2);
    expect([...out]).toEqual([-1, -1]);
    set.blockDots([1, 1, 0.5], 1, Int32Array.of(0, 1), 0, 2, out, 2);
    expect([...out]).toEqual([0, 2]);
    const none = new CsrBlockDots(new Int32Array(1), new Uint16Array(0), new Float32Array(0), 0, 2); // prettier-ignore
    none.blockDots([0, 0], 1, new Int32Array(0), 0, 0, new Float64Array(0), 0);
  });

  it('refuses bad input with clear errors', () => {
    const rowStart = Int32Array.of(0, 1, 2);
    const columns = Uint16Array.of(0, 1);
    const values = Float32Array.of(1, 2);
    expect(() => new CsrBlockDots(rowStart, Int32Array.of(0, 1) as never, values, 2, 2)).toThrow(DTypeError); // prettier-ignore
    expect(() => new CsrBlockDots(rowStart, columns, values, 3, 2)).toThrow(
      /rows \+ 1 = 4 offsets/,
    );
    expect(() => new CsrBlockDots(rowStart, columns, values, 2, 1)).toThrow(/columns\[1\] = 1 is not below cols = 1/); // prettier-ignore
    expect(() => new CsrBlockDots(Int32Array.of(0, 2, 1), columns, values, 2, 2)).toThrow(/must not decrease/); // prettier-ignore
    expect(() => new CsrBlockDots(Int32Array.of(0, 1, 3), columns, values, 2, 2)).toThrow(/3 non-zeros/); // prettier-ignore
    expect(() => new CsrBlockDots(rowStart, columns, values, 2, 2, { precision: 'float16' as never })).toThrow(/precision must be 'float32' or 'float64', got "float16"/); // prettier-ignore
    const set = new CsrBlockDots(rowStart, columns, values, 2, 2);
    const out = new Float64Array(8);
    const targets = Int32Array.of(0, 1);
    expect(() => set.blockDots([1, 1], 3 as never, targets, 0, 2, out, 2)).toThrow(/width must be 1, 2, 4 or 8/); // prettier-ignore
    expect(() => set.blockDots([1, 1], 2, targets, 0, 2, out, 2)).toThrow(/queries must hold cols \* width = 4/); // prettier-ignore
    expect(() => set.blockDots([1, 1], 1, Int32Array.of(0, 2), 0, 2, out, 2)).toThrow(/targets\[1\] = 2 is not a row index/); // prettier-ignore
    expect(() => set.blockDots([1, 1], 1, targets, 1, 3, out, 3)).toThrow(/0 <= from <= to <= 2/);
    expect(() => set.blockDots([1, 1, 1, 1], 2, targets, 0, 2, out, 1)).toThrow(/stride must be an integer >= to = 2/); // prettier-ignore
    expect(() => set.blockDots([1, 1, 1, 1], 2, targets, 0, 2, new Float64Array(3), 2)).toThrow(ShapeError); // prettier-ignore
    expect(() => set.blockDots([1, 1], 1, [0, 1] as never, 0, 2, out, 2)).toThrow(DTypeError);
    expect(() => set.blockDots([1, 1], 1, targets, 0.5, 2, out, 2)).toThrow(ValueError);
  });
});

describe('CsrBlockDots: the backends agree bit for bit', () => {
  afterAll(() => setBackend('auto'));

  it('gives the same values on js and wasm-simd', () => {
    const rng = new Rng(5);
    const [rows, cols] = [200, 784];
    const csr = randomCsr(rng, rows, cols, 0.19);
    const targets = Int32Array.from({ length: rows }, (_, t) => rows - 1 - t);
    const queries = randomQueries(rng, cols, 8);
    const results = BACKENDS.map((backend) => {
      setBackend(backend);
      const set = new CsrBlockDots(csr.rowStart, csr.columns, csr.values, rows, cols);
      const out = new Float64Array(8 * rows);
      set.blockDots(queries, 8, targets, 0, rows, out, rows);
      return out;
    });
    expect(results[1]).toEqual(results[0]);
  });
});

describe('CsrBlockDots on wasm-simd: memory', () => {
  beforeAll(() => setBackend('wasm-simd'));
  afterAll(() => setBackend('auto'));

  it('reuses its scratch space from call to call', async () => {
    const { localKernels } = await import('../src/wasm/kernels.js');
    const rng = new Rng(3);
    const csr = randomCsr(rng, 500, 20, 0.3);
    const set = new CsrBlockDots(csr.rowStart, csr.columns, csr.values, 500, 20);
    const out = new Float64Array(8 * 500);
    const targets = Int32Array.from({ length: 500 }, (_, i) => 499 - i);
    set.blockDots(randomQueries(rng, 20, 8), 8, targets, 0, 500, out, 500);
    const length = localKernels().memory.buffer.byteLength;
    for (let i = 0; i < 50; i++) set.blockDots(randomQueries(rng, 20, 4), 4, targets, i, 500, out, 500); // prettier-ignore
    expect(localKernels().memory.buffer.byteLength).toBe(length);
  });
});
