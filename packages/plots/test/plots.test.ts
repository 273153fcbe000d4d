// The charts as SVG text and as PNG pixels.
import { ShapeError, ValueError } from '@typedlearn/tensor';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrix, precisionRecallFscoreSupport } from '@typedlearn/metrics';
import { confusionMatrixSvg, lineChartSvg, perClassBarChartSvg } from '../src/index.js';
import { svgToPng } from '../src/png/index.js';

/** The SVG's `width` and `height` attributes. */
const svgSize = (svg: string): [number, number] => {
  const match = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  expect(match).not.toBeNull();
  return [Number(match![1]), Number(match![2])];
};

/** Unescapes the few XML entities Vega writes into attribute and text values. */
const unescape = (text: string): string =>
  text
    .replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');

const yTrue = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
const yPred = [0, 0, 1, 1, 1, 2, 2, 0, 1, 0];
const names = ['zero', 'one', 'two', "three & 'more'"];

describe('confusionMatrixSvg', () => {
  it('labels every cell with its count under its true and predicted class', async () => {
    const matrix = confusionMatrix(yTrue, yPred);
    const svg = unescape(await confusionMatrixSvg(matrix, { labels: names, title: 'Digits' }));
    expect(svg.startsWith('<svg')).toBe(true);
    matrix.forEach((row, i) =>
      row.forEach((count, j) => {
        expect(svg).toContain(
          `aria-label="Predicted label: ${names[j]}; True label: ${names[i]}; text: ${count}"`,
        );
      }),
    );
    for (const name of names) expect(svg).toContain(`>${name}</text>`);
    for (const title of ['Digits', 'Predicted label', 'True label', 'Count']) {
      expect(svg).toContain(`>${title}</text>`);
    }
  });

  it('prints a normalised matrix with the requested decimals', async () => {
    const matrix = confusionMatrix(yTrue, yPred, { normalize: 'true' });
    const svg = await confusionMatrixSvg(matrix, { digits: 3 });
    // Class 2: 2 of 4 right, 1 predicted as 0, 1 as 1.
    expect(svg).toContain('True label: 2; text: 0.500"');
    expect(svg).toContain('Predicted label: 0; True label: 2; text: 0.250"');
    expect(svg).toContain('>Fraction</text>');
  });

  it('places cell (i, j) at row i and column j, cellSize wide, shaded light to dark', async () => {
    const matrix = confusionMatrix(yTrue, yPred);
    const svg = await confusionMatrixSvg(matrix, { cellSize: 40 });
    const cells = [
      ...svg.matchAll(
        /<path aria-label="Predicted label: (\d+); True label: (\d+); value: (\d+)"[^>]* d="M(\d+),(\d+)h(\d+)v(\d+)h-\d+Z" fill="([^"]+)"/g,
      ),
    ].map((match) => ({
      predicted: Number(match[1]),
      actual: Number(match[2]),
      value: Number(match[3]),
      box: match.slice(4, 8).map(Number),
      fill: match[8],
    }));
    expect(cells).toHaveLength(16);
    const largest = Math.max(...matrix.flat());
    for (const { predicted, actual, value, box, fill } of cells) {
      expect(value).toBe(matrix[actual][predicted]);
      expect(box).toEqual([40 * predicted, 40 * actual, 40, 40]);
      if (value === 0) expect(fill).toBe('rgb(247, 251, 255)');
      if (value === largest) expect(fill).toBe('rgb(8, 48, 107)');
    }
  });

  it('refuses a matrix that is not square, non-finite values and repeated names', async () => {
    await expect(confusionMatrixSvg([[1, 2]])).rejects.toThrow(ShapeError);
    await expect(confusionMatrixSvg([[NaN]])).rejects.toThrow(/matrix row 0 must hold finite/);
    await expect(
      confusionMatrixSvg(
        [
          [1, 0],
          [0, 1],
        ],
        { labels: ['a', 'a'] },
      ),
    ).rejects.toThrow(ValueError);
    await expect(confusionMatrixSvg([[1]], { labels: ['a', 'b'] })).rejects.toThrow(/2 names/);
  });
});

describe('perClassBarChartSvg', () => {
  it('draws one bar per class and series, as tall as its value', async () => {
    const scores = precisionRecallFscoreSupport(yTrue, yPred);
    const series = { Precision: scores.precision, Recall: scores.recall, F1: scores.fScore };
    const svg = unescape(await perClassBarChartSvg(series, { labels: names, title: 'Scores' }));
    // Bars are paths "M0,top h width v height h -width Z" labelled with class, score and series.
    const bars = [
      ...svg.matchAll(
        /<path aria-label="Class: ([^;]+); Score: ([^;]+); metric: ([^"]+)"[^>]* d="M[^,]+,[^h]+h[^v]+v([\d.]+)h/g,
      ),
    ].map(([, label, value, metric, height]) => ({
      label,
      value: Number(value),
      metric,
      height: Number(height),
    }));
    expect(bars).toHaveLength(3 * names.length);
    const fullHeight = bars.find((bar) => bar.value === 1)!.height;
    for (const [metric, values] of Object.entries(series)) {
      values.forEach((value, c) => {
        const bar = bars.find((b) => b.metric === metric && b.label === names[c])!;
        expect(bar.value).toBeCloseTo(value, 12);
        expect(bar.height).toBeCloseTo(value * fullHeight, 6);
      });
    }
    for (const text of ['Scores', 'Precision', 'Recall', 'F1', 'Class', 'Score', ...names]) {
      expect(svg).toContain(`>${text}</text>`);
    }
  });

  it('leaves a gap for a NaN score', async () => {
    const svg = await perClassBarChartSvg({ Precision: [0.5, NaN] });
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(1);
  });

  it('refuses series of different lengths and infinite values', async () => {
    await expect(perClassBarChartSvg({ a: [1, 2], b: [1] })).rejects.toThrow(ShapeError);
    await expect(perClassBarChartSvg({ a: [Infinity] })).rejects.toThrow(/finite number or NaN/);
    await expect(perClassBarChartSvg({})).rejects.toThrow(/at least one series/);
  });
});

describe('lineChartSvg', () => {
  /** Each line's name (from its aria-label) and its points [x, y] in the plot's pixels. */
  const lines = (svg: string) =>
    [
      ...svg.matchAll(
        /<path aria-label="[^"]*; series: ([^"]+)"[^>]* aria-roledescription="line mark" d="M([^"]+)"/g,
      ),
    ].map(([, name, d]) => ({
      name,
      points: d
        .replace(/Z$/, '')
        .split('L')
        .map((point) => point.split(',').map(Number)),
    }));

  it('draws each series as one line over x = 1..n, higher values higher up', async () => {
    const series = { Training: [0.5, 0.7, 0.8], Validation: [0.45, 0.6, 0.72] };
    const svg = unescape(
      await lineChartSvg(series, { title: 'Curves', xTitle: 'Epoch', yTitle: 'Accuracy' }),
    );
    // The plot is 420 x 260 pixels, inside padding, axes, title and legend.
    expect(svg).toContain('d="M0,0h420v260h-420Z"');
    const [width, height] = svgSize(svg);
    expect(width).toBeGreaterThan(420);
    expect(height).toBeGreaterThan(260);
    for (const text of ['Curves', 'Epoch', 'Accuracy', 'Training', 'Validation', '1', '2', '3']) {
      expect(svg).toContain(`>${text}</text>`);
    }

    const drawn = lines(svg);
    expect(drawn.map((line) => line.name)).toEqual(['Training', 'Validation']);
    // x runs from the left edge (x = 1) to the right one (x = 3); y is one linear map of the
    // value for every line, found from two points and checked on all the others.
    const [[, yA], [, yB]] = [drawn[0].points[0], drawn[0].points[2]];
    const slope = (yB - yA) / (0.8 - 0.5);
    expect(slope).toBeLessThan(0);
    drawn.forEach(({ name, points }) => {
      const values = series[name as keyof typeof series];
      expect(points).toHaveLength(values.length);
      points.forEach(([x, y], i) => {
        expect(x).toBeCloseTo(210 * i, 2);
        expect(y).toBeCloseTo(yA + slope * (values[i] - 0.5), 2);
      });
    });
    // Short curves also get a dot at each value.
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(6);
  });

  it('leaves out series with a value that is not finite, and dots on long curves', async () => {
    const long = Array.from({ length: 40 }, (_, i) => 1 / (i + 1));
    const svg = unescape(
      await lineChartSvg({ Loss: long, Validation: [NaN, NaN], Other: [1, Infinity], None: [] }),
    );
    expect(lines(svg).map((line) => line.name)).toEqual(['Loss']);
    expect(lines(svg)[0].points).toHaveLength(40);
    expect(svg).not.toContain('aria-roledescription="point"');
    for (const name of ['Validation', 'Other', 'None']) expect(svg).not.toContain(`>${name}<`);
    // The defaults name the axes.
    expect(svg).toContain('>Epoch</text>');
    expect(svg).toContain('>Value</text>');
  });

  it('centres a flat curve vertically', async () => {
    // Its one value at the left edge, half-way down the 260-pixel plot, with a dot to show it.
    const svg = await lineChartSvg({ Loss: [0.7] });
    expect(lines(svg)).toEqual([{ name: 'Loss', points: [[0, 130]] }]);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(1);
  });

  it('refuses when no series is left to draw', async () => {
    await expect(lineChartSvg({})).rejects.toThrow(ShapeError);
    await expect(lineChartSvg({ a: [NaN], b: [] })).rejects.toThrow(/\[a, b\]/);
  });
});

describe('svgToPng', () => {
  it('rasterises a chart at the requested scale, text and colours included', async () => {
    const svg = await confusionMatrixSvg(
      [
        [9, 0],
        [0, 9],
      ],
      { cellSize: 50 },
    );
    const [width, height] = svgSize(svg);
    const png = PNG.sync.read(Buffer.from(await svgToPng(svg, { scale: 2 })));
    expect([png.width, png.height]).toEqual([2 * width, 2 * height]);
    const pixel = (x: number, y: number): number[] => {
      const at = (y * png.width + x) * 4;
      return [...png.data.subarray(at, at + 4)];
    };
    // The top-left corner is the white background.
    expect(pixel(0, 0)).toEqual([255, 255, 255, 255]);
    // Somewhere the darkest blue of the largest count is drawn, and the white count text on it.
    const colours = new Set<string>();
    for (let y = 0; y < png.height; y += 2) {
      for (let x = 0; x < png.width; x += 2) colours.add(pixel(x, y).slice(0, 3).join(','));
    }
    expect(colours.has('8,48,107')).toBe(true);
    // Text is anti-aliased: many grey levels appear, not just the flat fills.
    expect(colours.size).toBeGreaterThan(20);
  });

  it('refuses a scale out of range', async () => {
    await expect(
      svgToPng('<svg xmlns="http://www.w3.org/2000/svg"/>', { scale: 0 }),
    ).rejects.toThrow(/scale must be/);
  });
});
