import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

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
