/** One section of the report: a heading, a sentence on how to read it, and its pictures. */
export interface Figure {
  /** The anchor of the section, e.g. 'confusion-matrix'. */
  id: string;
  title: string;
  caption: string;
  /** The pictures: `<img>` or `<figure>` elements whose sources are data URIs. */
  body: string;
}

/** What the report page shows. */
export interface ReportPage {
  title: string;
  /** One paragraph on what was run (data, sizes, machine). */
  summary: string;
  /** The comparison table: a header row and the data rows, as text. */
  table: { header: string[]; rows: string[][] };
  figures: Figure[];
}

/**
 * A self-contained HTML page: styles inline and every picture a data URI, so the single file
 * works offline, by e-mail and as a CI artifact.
 */
export function renderReport(page: ReportPage): string {
  const head = page.table.header.map((cell) => `<th>${escapeXml(cell)}</th>`).join('');
  const rows = page.table.rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  const contents = page.figures
    .map((figure) => `<li><a href="#${figure.id}">${escapeXml(figure.title)}</a></li>`)
    .join('');
  const sections = page.figures
    .map(
      (figure) =>
        `<section id="${figure.id}">\n<h2>${escapeXml(figure.title)}</h2>\n` +
        `<p>${escapeXml(figure.caption)}</p>\n${figure.body}\n</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(page.title)}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
  table { border-collapse: collapse; margin: 1em 0; }
  th, td { padding: 0.3em 0.9em; border-bottom: 1px solid #ddd; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  section { margin-top: 2.5em; }
  img { max-width: 100%; }
  img.pixels { image-rendering: pixelated; }
  .gallery { display: flex; flex-wrap: wrap; gap: 0.8em; }
  .gallery figure { margin: 0; text-align: center; font-size: 0.85em; }
  .gallery figcaption { margin-top: 0.2em; }
</style>
</head>
<body>
<h1>${escapeXml(page.title)}</h1>
<p>${escapeXml(page.summary)}</p>
<table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<nav><ul>${contents}</ul></nav>
${sections}
</body>
</html>
`;
}

/** An `<img>` of a data URI, `width` pixels wide; `pixelated` scales pixel art up without blurring it. */
export function image(src: string, alt: string, width?: number, pixelated = false): string {
  const size = width === undefined ? '' : ` width="${width}"`;
  const kind = pixelated ? ' class="pixels"' : '';
  return `<img src="${src}" alt="${escapeXml(alt)}"${size}${kind}>`;
}

/** An SVG document as a data URI (each SVG stays its own document, so ids never clash). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Text safe inside XML and HTML elements and attributes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
