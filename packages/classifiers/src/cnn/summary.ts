import type { ConvNetLayout, PlacedLayer } from './network-layout.js';

/**
 * A text table of a network, as Keras's `model.summary()`: each layer with its settings, the
 * shape of one image's output and its number of parameters, then the total.
 *
 * ```
 * layer                   output shape    parameters
 * input                   28 x 28 x 1              0
 * conv2d 16 5x5 same      28 x 28 x 16           416
 * ```
 */
export function describeLayout(layout: ConvNetLayout): string {
  const rows: [string, string, string][] = [
    ['layer', 'output shape', 'parameters'],
    ['input', layout.imageShape.join(' x '), '0'],
  ];
  for (const layer of layout.layers) {
    const { parameters: p } = layer;
    const count = p === null ? 0 : p.fanIn * p.units + p.units;
    rows.push([describeLayer(layer), layer.outputShape.join(' x '), count.toLocaleString('en-US')]);
  }
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map(
    ([name, shape, count]) =>
      `${name.padEnd(widths[0])}   ${shape.padEnd(widths[1])}   ${count.padStart(widths[2])}`,
  );
  const rule = '-'.repeat(lines[0].length);
  const total = `total parameters: ${layout.parameterCount.toLocaleString('en-US')}`;
  return [lines[0], rule, ...lines.slice(1), rule, total].join('\n');
}

/** One layer's type and settings, e.g. `conv2d 16 5x5 same`, `maxPool 2x2 stride 2`. */
function describeLayer(layer: PlacedLayer): string {
  switch (layer.type) {
    case 'conv2d': {
      const { kernel, stride, filters, padding } = layer.geometry;
      const padded = padding === 'same' ? ' same' : padding > 0 ? ` padding ${padding}` : '';
      return `conv2d ${filters} ${kernel}x${kernel}${padded}${stride === 1 ? '' : ` stride ${stride}`}`;
    }
    case 'maxPool':
    case 'avgPool': {
      const { size, stride } = layer.geometry;
      return `${layer.type} ${size}x${size}${stride === size ? '' : ` stride ${stride}`}`;
    }
    case 'dense':
      return `dense ${layer.parameters.units}${layer.name === 'output' ? ' (output)' : ''}`;
    case 'dropout':
      return `dropout ${layer.rate}`;
    case 'relu':
    case 'flatten':
      return layer.type;
  }
}
