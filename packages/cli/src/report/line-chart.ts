/** One named curve of a {@link lineChartSvg}: y values at x = 1, 2, 3, ... */
export interface Curve {
  name: string;
  values: readonly number[];
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
}

const WIDTH = 420;
const HEIGHT = 260;
const MARGIN = { left: 56, right: 16, top: 32, bottom: 44 };
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';

/**
 * A small line chart as an SVG document: the curves over x = 1..n, axes with ticks at the
 * ends and the middle, and a legend. Enough for learning curves (loss or accuracy per epoch).
 */
export function lineChartSvg(curves: readonly Curve[], options: LineChartOptions): string {
  const all = curves.flatMap((curve) => curve.values.filter(Number.isFinite));
  const n = Math.max(1, ...curves.map((curve) => curve.values.length));
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (!(high > low)) [low, high] = [low - 0.5, high + 0.5];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (i: number) => MARGIN.left + (n === 1 ? plotWidth / 2 : (i * plotWidth) / (n - 1));
  const y = (v: number) => MARGIN.top + plotHeight - ((v - low) / (high - low)) * plotHeight;

  const lines = curves.map((curve, c) => {
    const points = curve.values
      .map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : ''))
      .filter(Boolean)
      .join(' ');
    const colour = COLOURS[c % COLOURS.length];
    return (
      `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>` +
      `<rect x="${MARGIN.left + 8}" y="${MARGIN.top + 6 + 16 * c}" width="10" height="10" fill="${colour}"/>` +
      `<text x="${MARGIN.left + 22}" y="${MARGIN.top + 15 + 16 * c}" font-size="11" ${FONT}>${escapeXml(curve.name)}</text>`
    );
  });
  const yTicks = [low, (low + high) / 2, high].map(
    (v) =>
      `<text x="${MARGIN.left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end" ${FONT}>${formatTick(v)}</text>` +
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
  );
  const xTicks = [...new Set([0, Math.floor((n - 1) / 2), n - 1])].map(
    (i) =>
      `<text x="${x(i)}" y="${MARGIN.top + plotHeight + 16}" font-size="10" text-anchor="middle" ${FONT}>${i + 1}</text>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold" ${FONT}>${escapeXml(options.title)}</text>` +
    yTicks.join('') +
    xTicks.join('') +
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>` +
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>` +
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" font-size="11" text-anchor="middle" ${FONT}>${escapeXml(options.xTitle)}</text>` +
    `<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" font-size="11" text-anchor="middle" ${FONT}>${escapeXml(options.yTitle)}</text>` +
    lines.join('') +
    `</svg>`
  );
}

function formatTick(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** Text safe inside XML and HTML elements and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
