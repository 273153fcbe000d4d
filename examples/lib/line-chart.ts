// A small line chart as SVG, drawn by hand (learning curves: a value per iteration or epoch).
// @typedlearn/plots/png turns it into PNG.

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
}

const WIDTH = 560;
const HEIGHT = 320;
const MARGIN = { left: 64, right: 150, top: 40, bottom: 48 };
const COLOURS = ['#2563eb', '#f97316', '#16a34a', '#9333ea'];

/**
 * Each named series is a list of y values at x = 1, 2, 3, ...; the y axis spans their range.
 * A series of NaN (a value that was not measured) is left out.
 */
export function lineChartSvg(
  series: Record<string, readonly number[]>,
  options: LineChartOptions,
): string {
  series = Object.fromEntries(Object.entries(series).filter(([, v]) => v.every(Number.isFinite)));
  const all = Object.values(series).flat();
  const xMax = Math.max(2, ...Object.values(series).map((values) => values.length));
  let yMin = Math.min(...all);
  let yMax = Math.max(...all);
  if (yMax === yMin) [yMin, yMax] = [yMin - 1, yMax + 1];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number) => MARGIN.left + ((i - 1) / (xMax - 1)) * plotWidth;
  const y = (v: number) => MARGIN.top + (1 - (v - yMin) / (yMax - yMin)) * plotHeight;
  const text = (px: number, py: number, content: string, extra = 'font-size="12"') =>
    `<text x="${px.toFixed(1)}" y="${py.toFixed(1)}" font-family="DejaVu Sans" ${extra}>${content}</text>`;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(MARGIN.left, 22, options.title, 'font-size="15" font-weight="bold"'),
    `<path d="M${MARGIN.left} ${MARGIN.top}V${MARGIN.top + plotHeight}H${MARGIN.left + plotWidth}" stroke="#9ca3af" fill="none"/>`,
    text(
      MARGIN.left + plotWidth / 2,
      HEIGHT - 10,
      options.xTitle,
      'font-size="12" text-anchor="middle"',
    ),
    text(
      16,
      MARGIN.top + plotHeight / 2,
      options.yTitle,
      `font-size="12" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotHeight / 2})"`,
    ),
  ];
  for (let tick = 0; tick <= 4; tick++) {
    const value = yMin + ((yMax - yMin) * tick) / 4;
    parts.push(`<path d="M${MARGIN.left} ${y(value).toFixed(1)}h${plotWidth}" stroke="#e5e7eb"/>`);
    parts.push(
      text(MARGIN.left - 6, y(value) + 4, value.toPrecision(3), 'font-size="12" text-anchor="end"'),
    );
  }
  parts.push(
    text(MARGIN.left, MARGIN.top + plotHeight + 16, '1', 'font-size="12" text-anchor="middle"'),
  );
  parts.push(
    text(
      MARGIN.left + plotWidth,
      MARGIN.top + plotHeight + 16,
      String(xMax),
      'font-size="12" text-anchor="middle"',
    ),
  );
  Object.entries(series).forEach(([name, values], s) => {
    const colour = COLOURS[s % COLOURS.length];
    const points = values.map((v, i) => `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    parts.push(
      `<rect x="${WIDTH - MARGIN.right + 14}" y="${MARGIN.top + 20 * s}" width="12" height="12" fill="${colour}"/>`,
    );
    parts.push(text(WIDTH - MARGIN.right + 32, MARGIN.top + 20 * s + 11, name));
  });
  parts.push('</svg>');
  return parts.join('\n');
}
