import { View, parse } from 'vega';
import { compile, type Config, type TopLevelSpec } from 'vega-lite';

/** Fonts of every chart: DejaVu Sans is what the PNG renderer embeds; browsers fall back. */
export const CHART_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/**
 * Renders a Vega-Lite chart to an SVG document without a browser or canvas: Vega-Lite compiles
 * the declarative spec to Vega, and a headless Vega view draws it as SVG text.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The look of the charts of named series (lines, grouped bars): fonts, axes, legend, title. */
export const SERIES_CHART_CONFIG: Config = {
  font: CHART_FONT,
  view: { stroke: null },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    titlePadding: 10,
    gridColor: '#e5e7eb',
    domainColor: '#9ca3af',
  },
  legend: { labelFontSize: 12 },
  title: { fontSize: 15, fontWeight: 'bold', offset: 12 },
};

/** The colour encoding of named series in `field`: one colour each, in `names` order, legend on top. */
export function seriesColors(field: string, names: readonly string[]) {
  return {
    field,
    type: 'nominal',
    sort: [...names],
    scale: { scheme: 'tableau10' },
    legend: { title: null, orient: 'top', direction: 'horizontal' },
  } as const;
}
