// The convolutional network's forward passes against their definitions (the gradient checks in
// cnn-gradients.test.ts hold backward to forward in float64; these hold forward to the math):
// convolution on both backends (im2col + GEMM on 'js', the direct kernels on 'wasm-simd')
// against the six-deep loop of its definition, and its float32 backward pass against the
// float64 one the gradient checks verify; pooling windows and their sizes, the layout's shapes
// and parameter counts, and the image distortions.
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, Rng, ValueError, setBackend } from '@typedlearn/tensor';
import { TRANSFORM_VALUES, drawTransforms, warpImage } from '../src/cnn/augmentation.js';
import { AvgPool } from '../src/cnn/avg-pool.js';
import { Conv2d } from '../src/cnn/conv2d.js';
import { convGeometry, type ConvGeometry } from '../src/cnn/conv-geometry.js';
import { MaxPool } from '../src/cnn/max-pool.js';
import { ConvNetLayout } from '../src/cnn/network-layout.js';
import { poolGeometry } from '../src/cnn/pool-geometry.js';
import { DEFAULT_CNN_LAYERS, convNetSummary } from '../src/index.js';

/**
 * The definition: out[r, oy, ox, f] = b[f] + sum over (ky, kx, c) of
 * x[r, oy * s + ky - padTop, ox * s + kx - padLeft, c] * W[ky, kx, c, f], zero outside.
 */
function directConvolution(g: ConvGeometry, x: Float32Array, rows: number, params: Float32Array) {
  const { height, width, channels, kernel, stride, padTop, padLeft, outHeight, outWidth, filters } =
    g;
  const bias = kernel * kernel * channels * filters;
  const out = new Float64Array(rows * outHeight * outWidth * filters);
  for (let r = 0; r < rows; r++)
    for (let oy = 0; oy < outHeight; oy++)
      for (let ox = 0; ox < outWidth; ox++)
        for (let f = 0; f < filters; f++) {
          let total = params[bias + f];
          for (let ky = 0; ky < kernel; ky++)
            for (let kx = 0; kx < kernel; kx++)
              for (let c = 0; c < channels; c++) {
                const iy = oy * stride + ky - padTop;
                const ix = ox * stride + kx - padLeft;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                const w = params[((ky * kernel + kx) * channels + c) * filters + f];
                total += x[((r * height + iy) * width + ix) * channels + c] * w;
              }
          out[((r * outHeight + oy) * outWidth + ox) * filters + f] = total;
        }
  return out;
}

describe('conv2d', () => {
  const cases = [
    { name: '5x5 same', spec: { kernelSize: 5, padding: 'same' as const }, shape: [9, 8, 1] },
    { name: '3x3 valid', spec: { kernelSize: 3 }, shape: [6, 7, 3] },
    {
      name: '3x3 padding 1 stride 2',
      spec: { kernelSize: 3, padding: 1, stride: 2 },
      shape: [8, 7, 2],
    },
    {
      name: '4x4 same stride 3',
      spec: { kernelSize: 4, padding: 'same' as const, stride: 3 },
      shape: [10, 11, 2],
    },
  ];
  afterAll(() => setBackend('auto'));

  for (const [{ name, spec, shape }, backend] of cases.flatMap((c) =>
    BACKENDS.map((b) => [c, b] as const),
  )) {
    // prettier-ignore
    it(`computes the definition on ${backend}: ${name}`, () => {
      setBackend(backend);
      const g = convGeometry({ type: 'conv2d', filters: 5, ...spec }, shape, 'test');
      const rows = 3;
      const rng = new Rng(4);
      const x = Float32Array.from({ length: rows * shape[0] * shape[1] * shape[2] }, () =>
        rng.uniform(),
      );
      const fanIn = g.kernel * g.kernel * g.channels;
      const params = Float32Array.from({ length: fanIn * 5 + 5 }, () => rng.normal());
      const block = { weightOffset: 0, fanIn, units: 5, biasOffset: fanIn * 5 };
      const out = new Float32Array(rows * g.outHeight * g.outWidth * 5);
      new Conv2d(g, block, rows, 'float32').forward(params, x, out, rows);
      const expected = directConvolution(g, x, rows, params);
      for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(expected[i], 4);
    });
  }

  for (const [{ name, spec, shape }, backend] of cases.flatMap((c) =>
    BACKENDS.map((b) => [c, b] as const),
  )) {
    // prettier-ignore
    it(`gives in float32 on ${backend} the float64 gradients of the checks: ${name}`, () => {
      setBackend(backend);
      const filters = 5;
      const g = convGeometry({ type: 'conv2d', filters, ...spec }, shape, 'test');
      const rows = 3;
      const rng = new Rng(6);
      const inputs = rows * shape[0] * shape[1] * shape[2];
      const outputs = rows * g.outHeight * g.outWidth * filters;
      const fanIn = g.kernel * g.kernel * g.channels;
      const block = { weightOffset: 0, fanIn, units: filters, biasOffset: fanIn * filters };
      const x = Float64Array.from({ length: inputs }, () => rng.uniform());
      const params = Float64Array.from({ length: fanIn * filters + filters }, () => rng.normal());
      const dy = Float64Array.from({ length: outputs }, () => rng.normal());
      const run = (precision: 'float32' | 'float64') => {
        const Floats = precision === 'float32' ? Float32Array : Float64Array;
        const layer = new Conv2d(g, block, rows, precision);
        const [input, weights, delta] = [Floats.from(x), Floats.from(params), Floats.from(dy)];
        const [gradient, dx] = [new Floats(params.length), new Floats(inputs)];
        layer.forward(weights, input, new Floats(outputs), rows);
        layer.backward(weights, gradient, input, new Floats(outputs), delta, dx, rows);
        return [...gradient, ...dx];
      };
      const [single, double] = [run('float32'), run('float64')];
      for (let i = 0; i < double.length; i++) {
        expect(Math.abs(single[i] - double[i])).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(double[i])));
      }
    });
  }

  it("pads 'same' as TensorFlow: half before (rounded down), the rest after", () => {
    const g = convGeometry(
      { type: 'conv2d', filters: 1, kernelSize: 4, padding: 'same', stride: 2 },
      [7, 6, 1],
      'test',
    );
    // Height 7: out ceil(7 / 2) = 4, padding (4 - 1) * 2 + 4 - 7 = 3: 1 above, 2 below.
    // Width 6: out 3, padding (3 - 1) * 2 + 4 - 6 = 2: 1 left, 1 right.
    expect([g.outHeight, g.outWidth, g.padTop, g.padLeft]).toEqual([4, 3, 1, 1]);
  });

  it('refuses a kernel larger than its padded input, naming the layer', () => {
    expect(() =>
      convGeometry({ type: 'conv2d', filters: 1, kernelSize: 5 }, [4, 9, 1], 'layers[3]'),
    ).toThrow(/layers\[3\]: a 5 x 5 kernel with padding 0 does not fit its 4 x 9 input/);
  });
});

describe('pooling', () => {
  // One 4 x 4 single-channel image, row by row.
  const image = Float32Array.from([1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 1, 1, 9, 2, 3, 7]);

  it('maxPool 2x2 takes the largest of each window', () => {
    const g = poolGeometry({ type: 'maxPool', size: 2 }, [4, 4, 1], 'test');
    const out = new Float32Array(4);
    new MaxPool(g, 1).forward(new Float32Array(0), image, out, 1);
    expect(Array.from(out)).toEqual([5, 8, 9, 7]);
  });

  it('avgPool 2x2 takes the mean of each window', () => {
    const g = poolGeometry({ type: 'avgPool', size: 2 }, [4, 4, 1], 'test');
    const out = new Float32Array(4);
    new AvgPool(g).forward(new Float32Array(0), image, out, 1);
    expect(Array.from(out)).toEqual([13 / 4, 11 / 4, 11 / 4, 12 / 4]);
  });

  it('cuts windows at the edge instead of dropping pixels, on any size', () => {
    const g = poolGeometry({ type: 'avgPool', size: 2 }, [3, 3, 1], 'test');
    expect([g.outHeight, g.outWidth]).toEqual([2, 2]);
    const out = new Float32Array(4);
    new AvgPool(g).forward(
      new Float32Array(0),
      Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      out,
      1,
    );
    expect(Array.from(out)).toEqual([3, 4.5, 7.5, 9]);
    const sizes = (n: number, size: number, stride?: number) =>
      poolGeometry({ type: 'maxPool', size, stride }, [n, 1, 1], 'test').outHeight;
    expect([
      sizes(28, 2),
      sizes(14, 2),
      sizes(7, 2),
      sizes(1, 2),
      sizes(7, 3, 2),
      sizes(5, 1, 3),
    ]).toEqual([14, 7, 4, 1, 3, 2]);
  });
});

describe('ConvNetLayout', () => {
  it('gives the default network on 28 x 28 digits its shapes and parameter counts', () => {
    const layout = new ConvNetLayout([28, 28, 1], DEFAULT_CNN_LAYERS, 10);
    const shapes = layout.layers.map((layer) => layer.outputShape.join('x'));
    expect(shapes).toEqual([
      '24x24x16',
      '12x12x16',
      '12x12x16',
      '8x8x32',
      '4x4x32',
      '4x4x32',
      '512',
      '128',
      '128',
      '128',
      '10',
    ]);
    // 5*5*1*16 + 16, 5*5*16*32 + 32, 512*128 + 128, 128*10 + 10.
    expect(layout.parameterCount).toBe(416 + 12832 + 65664 + 1290);
    expect(layout.weightShape(layout.layers[3])).toEqual([5, 5, 16, 32]);
    expect(layout.weightShape(layout.layers[10])).toEqual([128, 10]);
  });

  it('summarises a network as a table', () => {
    const text = convNetSummary([28, 28, 1]);
    expect(text).toMatch(/^conv2d 16 5x5 +24 x 24 x 16 +416$/m);
    expect(text).toMatch(/^maxPool 2x2 +4 x 4 x 32 +0$/m);
    expect(text).toMatch(/^dense 10 \(output\) +10 +1,290$/m);
    expect(text).toMatch(/^total parameters: 80,202$/m);
    const same = convNetSummary(
      [28, 28, 1],
      [{ type: 'conv2d', filters: 8, kernelSize: 3, padding: 'same', stride: 2 }],
    );
    expect(same).toMatch(/^conv2d 8 3x3 same stride 2 +14 x 14 x 8 +80$/m);
  });

  it('refuses a convolution after a dense layer, naming it', () => {
    expect(
      () =>
        new ConvNetLayout(
          [8, 8, 1],
          [
            { type: 'dense', units: 4 },
            { type: 'conv2d', filters: 2, kernelSize: 3 },
          ],
          3,
        ),
    ).toThrow(ValueError);
    expect(() =>
      convNetSummary([8, 8, 1], [{ type: 'flatten' }, { type: 'maxPool', size: 2 }]),
    ).toThrow(/layers\[1\]: maxPool needs an image input/);
  });
});

describe('augmentation', () => {
  const shape = [5, 6, 2] as const;
  const rng = new Rng(8);
  const image = Float32Array.from({ length: 60 }, () => rng.uniform());
  const warp = (dy: number, dx: number, angle: number) => {
    const out = new Float32Array(60);
    warpImage(shape, image, 0, out, 0, dy, dx, angle);
    return out;
  };
  const at = (values: Float32Array, y: number, x: number, c: number) => values[(y * 6 + x) * 2 + c];

  it('leaves an image unchanged without a shift or a rotation', () => {
    expect(Array.from(warp(0, 0, 0))).toEqual(Array.from(image));
  });

  it('moves every pixel by a whole-pixel shift, filling with 0', () => {
    const moved = warp(1, -2, 0);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 6; x++)
        for (let c = 0; c < 2; c++) {
          const [sy, sx] = [y - 1, x + 2];
          const inside = sy >= 0 && sy < 5 && sx >= 0 && sx < 6;
          expect(at(moved, y, x, c)).toBeCloseTo(inside ? at(image, sy, sx, c) : 0, 6);
        }
  });

  it('interpolates half-pixel shifts bilinearly', () => {
    const moved = warp(0, 0.5, 0);
    expect(at(moved, 2, 3, 1)).toBeCloseTo((at(image, 2, 2, 1) + at(image, 2, 3, 1)) / 2, 6);
  });

  it('turns a square image a quarter turn about its centre', () => {
    const square = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    const turned = new Float32Array(9);
    warpImage([3, 3, 1], square, 0, turned, 0, 0, 0, Math.PI / 2);
    // Output (y, x) reads the source at (2 - x, y): the top row 1 2 3 becomes the right column.
    expect(Array.from(turned, (v) => Math.round(v * 1e6) / 1e6)).toEqual([
      7, 4, 1, 8, 5, 2, 9, 6, 3,
    ]);
  });

  it('draws shifts and angles within the limits, from the seed', () => {
    const draw = () => {
      const out = new Float64Array(50 * TRANSFORM_VALUES);
      drawTransforms({ shift: 2, rotate: 15 }, 50, new Rng(1), out);
      return out;
    };
    const values = draw();
    expect(Array.from(draw())).toEqual(Array.from(values));
    for (let r = 0; r < 50; r++) {
      expect(Math.abs(values[3 * r])).toBeLessThanOrEqual(2);
      expect(Math.abs(values[3 * r + 1])).toBeLessThanOrEqual(2);
      expect(Math.abs(values[3 * r + 2])).toBeLessThanOrEqual((15 * Math.PI) / 180);
    }
  });
});
