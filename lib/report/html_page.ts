/**
 * The report as one self-contained HTML file: charts inlined as SVG, images as PNG `data:` URIs,
 * the styles in the page and no script, so that it opens from disk, offline, years later. A
 * Content-Security-Policy forbids every request, so a stray link fails loudly instead of leaking.
 */
import type { ImageGrid } from './image_grid';
import { encodePng, pngDataUri } from './png';

/** A chart rendered to SVG (by `renderSvg`), inlined in the page. */
export interface ChartBlock {
  readonly kind: 'chart';
  /** The SVG document, as Vega writes it. */
  readonly svg: string;
  /** A bold line above the chart; none by default. */
  readonly caption?: string;
}

/** Small captioned images, shown as PNG `<img>` tiles. */
export interface GridBlock {
  readonly kind: 'grid';
  readonly grid: ImageGrid;
}

/** A whole PNG file, e.g. a figure written by `npm run visualize`. */
export interface ImageBlock {
  readonly kind: 'image';
  /** The PNG file's bytes. */
  readonly png: Uint8Array;
  /** What the image shows, for screen readers and when it cannot be shown. */
  readonly alt: string;
  /** Width on screen in CSS pixels; the PNG's own width by default. */
  readonly width?: number;
}

/** A paragraph of plain text. */
export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
}

/** Monospaced text, such as the model summary. */
export interface PreformattedBlock {
  readonly kind: 'preformatted';
  readonly text: string;
  /** When given, the text is folded under this clickable line. */
  readonly summary?: string;
}

/** One piece of a section. */
export type ReportBlock = ChartBlock | GridBlock | ImageBlock | TextBlock | PreformattedBlock;

/** A titled part of the page, listed in its contents. */
export interface ReportSection {
  /** The anchor, unique in the page: letters, digits and dashes. */
  readonly id: string;
  /** The heading, also the section's entry in the contents. */
  readonly title: string;
  /** What the section shows, in order. */
  readonly blocks: readonly ReportBlock[];
}

/** Everything the page shows. */
export interface ReportPage {
  /** The page's `<title>` and heading. */
  readonly title: string;
  /** One line under the heading, e.g. the test accuracy. */
  readonly subtitle: string;
  /** Label and value pairs shown as a table at the top. */
  readonly facts: readonly (readonly [label: string, value: string])[];
  /** The sections, in page order. */
  readonly sections: readonly ReportSection[];
}

const STYLE = `
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6573; --line: #dde2e8; --accent: #2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 'DejaVu Sans', Verdana, Helvetica, Arial, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; }
header h1 { margin: 0; font-size: 26px; }
header p.subtitle { margin: 4px 0 18px; font-size: 17px; color: var(--muted); }
nav { margin: 0 0 8px; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 16px; }
section { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px 22px; margin-top: 22px; }
section h2 { margin: 0 0 10px; font-size: 19px; }
section p { margin: 6px 0 14px; color: var(--muted); max-width: 80ch; }
table.facts { border-collapse: collapse; font-size: 14px; background: white; border: 1px solid var(--line); border-radius: 8px; }
table.facts th, table.facts td { text-align: left; padding: 5px 14px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.facts th { color: var(--muted); font-weight: normal; white-space: nowrap; }
figure { margin: 0 0 18px; }
figure.chart { display: inline-block; vertical-align: top; margin-right: 36px; max-width: 100%; }
figure.chart svg { max-width: 100%; height: auto; }
figure > figcaption { font-weight: bold; margin-bottom: 8px; }
.tiles { display: grid; gap: 12px 10px; }
.tile { margin: 0; text-align: center; font-size: 12px; line-height: 1.3; color: var(--muted); }
.tile img { display: block; margin: 0 auto 3px; image-rendering: pixelated; border: 1px solid var(--line); background: #000; }
img.figure { max-width: 100%; height: auto; border: 1px solid var(--line); }
pre { font: 12.5px/1.35 'DejaVu Sans Mono', Menlo, Consolas, monospace; background: #f6f7f9; padding: 12px 14px; border-radius: 6px; overflow-x: auto; margin: 0 0 12px; }
details summary { cursor: pointer; color: var(--accent); margin: 4px 0 8px; }
`;

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * Prefixes every id in an SVG (and the references to it), because Vega numbers its gradients
 * and clip paths from zero in every drawing, and two inlined charts must not share one.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

function gridHtml(grid: ImageGrid): string {
  const tiles = grid.tiles.map((tile) => {
    const height = Math.round((grid.tileWidth * tile.image.height) / tile.image.width);
    const caption = tile.caption.split('\n').map(escapeHtml).join('<br>');
    const src = pngDataUri(encodePng(tile.image));
    return `<figure class="tile"><img src="${src}" width="${grid.tileWidth}" height="${height}" alt="${escapeHtml(tile.caption.replace(/\n/g, ', '))}"><figcaption>${caption}</figcaption></figure>`;
  });
  const columns = `repeat(${Math.min(grid.columns, Math.max(grid.tiles.length, 1))}, minmax(${grid.tileWidth}px, max-content))`;
  return `<figure class="grid"><figcaption>${escapeHtml(grid.title)}</figcaption><div class="tiles" style="grid-template-columns: ${columns}">${tiles.join('')}</div></figure>`;
}

function blockHtml(block: ReportBlock, id: string): string {
  switch (block.kind) {
    case 'chart': {
      const caption = block.caption === undefined ? '' : `<figcaption>${escapeHtml(block.caption)}</figcaption>`;
      return `<figure class="chart">${caption}${scopeSvgIds(block.svg, id)}</figure>`;
    }
    case 'grid':
      return gridHtml(block.grid);
    case 'image': {
      const width = block.width === undefined ? '' : ` width="${block.width}"`;
      return `<figure><img class="figure" src="${pngDataUri(block.png)}"${width} alt="${escapeHtml(block.alt)}"></figure>`;
    }
    case 'text':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'preformatted': {
      const pre = `<pre>${escapeHtml(block.text)}</pre>`;
      return block.summary === undefined ? pre : `<details><summary>${escapeHtml(block.summary)}</summary>${pre}</details>`;
    }
  }
}

/** The whole page as an HTML document. */
export function reportHtml(page: ReportPage): string {
  const facts = page.facts.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const contents = page.sections.map((section) => `<a href="#${section.id}">${escapeHtml(section.title)}</a>`).join('');
  const sections = page.sections.map(
    (section) =>
      `<section id="${section.id}"><h2>${escapeHtml(section.title)}</h2>\n${section.blocks.map((block, i) => blockHtml(block, `${section.id}-${i}`)).join('\n')}</section>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // No request of any kind: images and styles are inside the page.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    `<header><h1>${escapeHtml(page.title)}</h1><p class="subtitle">${escapeHtml(page.subtitle)}</p></header>`,
    `<nav>${contents}</nav>`,
    `<table class="facts">${facts}</table>`,
    ...sections,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
