/**
 * Vega-Lite specifications to figures: SVG through Vega's own renderer (no browser, no canvas),
 * and PNG from that SVG through resvg, so the page and the PNG files show the same drawing.
 */
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Device pixels per SVG pixel in the PNG files: sharp on high-density screens and in print. */
export const PNG_SCALE = 2;

/** Fonts resvg asks the system for; Debian's `fonts-dejavu-core` provides it. */
const PNG_FONT_FAMILY = 'DejaVu Sans';

/** Shared look of every chart: the page's font, no frame around single views. */
const CHART_CONFIG = {
  font: 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  title: { fontSize: 15, anchor: 'start' as const, offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 13 },
  legend: { labelFontSize: 12, titleFontSize: 12 },
};

/** Renders a Vega-Lite specification to an SVG document (a string starting with `<svg`). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new View(parse(compile(withConfig).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG document to PNG bytes at `scale` device pixels per SVG pixel. */
export function svgToPng(svg: string, scale = PNG_SCALE): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: PNG_FONT_FAMILY, sansSerifFamily: PNG_FONT_FAMILY },
    background: 'white',
  });
  return new Uint8Array(resvg.render().asPng());
}

/** A specification straight to PNG bytes, for figures that only exist as files. */
export async function renderPng(spec: TopLevelSpec, scale = PNG_SCALE): Promise<Uint8Array> {
  return svgToPng(await renderSvg(spec), scale);
}
