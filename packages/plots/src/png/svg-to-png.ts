import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ValueError } from '@typedlearn/tensor';
import { Resvg, initWasm } from '@resvg/resvg-wasm';

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** Pixels per SVG unit: 2 gives a sharp picture on high-density screens and in documents. Default 2. */
  scale?: number;
}

const resolvePackageFile = createRequire(import.meta.url).resolve;

/** The WebAssembly renderer can be initialised once per process; every call shares it. */
let renderer: Promise<Uint8Array[]> | undefined;

function loadRenderer(): Promise<Uint8Array[]> {
  renderer ??= (async () => {
    const [wasm, regular, bold] = await Promise.all([
      readFile(resolvePackageFile('@resvg/resvg-wasm/index_bg.wasm')),
      readFile(resolvePackageFile('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
      readFile(resolvePackageFile('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    ]);
    await initWasm(wasm);
    return [regular, bold];
  })();
  return renderer;
}

/**
 * Rasterises an SVG document (such as a chart from `@typedlearn/plots`) to PNG bytes,
 * text included, with resvg compiled to WebAssembly and the DejaVu Sans font: no browser,
 * canvas or native module. Node only (it reads the renderer and fonts from disk).
 */
export async function svgToPng(svg: string, options: SvgToPngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 16)) {
    throw new ValueError(`scale must be a number in (0, 16], got ${String(scale)}`);
  }
  const fontBuffers = await loadRenderer();
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontBuffers,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  try {
    const rendered = image.render();
    try {
      return rendered.asPng();
    } finally {
      rendered.free();
    }
  } finally {
    image.free();
  }
}
