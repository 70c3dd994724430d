import { PNG } from 'pngjs';
import type { TopLevelSpec } from 'vega-lite';
import { renderPng, renderSvg, svgToPng } from '../../lib/report/render';

const textOnly: TopLevelSpec = {
  width: 200,
  height: 40,
  data: { values: [{ text: 'MNIST 0123456789' }] },
  mark: { type: 'text', fontSize: 24, align: 'left', baseline: 'top' },
  encoding: { text: { field: 'text' }, x: { value: 0 }, y: { value: 0 } },
};

function darkPixels(png: Uint8Array): number {
  const decoded = PNG.sync.read(Buffer.from(png));
  let dark = 0;
  for (let i = 0; i < decoded.width * decoded.height; i++) if ((decoded.data[i * 4] as number) < 128) dark += 1;
  return dark;
}

describe('renderSvg', () => {
  it("draws a Vega-Lite specification as SVG with Vega's renderer, text as text", async () => {
    const svg = await renderSvg(textOnly);
    expect(svg).toMatch(/^<svg [^>]*width="\d+" height="\d+"/);
    expect(svg).toContain('>MNIST 0123456789</text>');
  });
});

describe('svgToPng', () => {
  it('rasterises at twice the size and finds a font for the text (Debian: fonts-dejavu-core)', async () => {
    const svg = await renderSvg(textOnly);
    const png = svgToPng(svg);
    const { width } = PNG.sync.read(Buffer.from(png));
    expect(width).toBe(2 * Number(/width="(\d+)"/.exec(svg)?.[1]));
    // No font means no glyphs: an all-white picture.
    expect(darkPixels(png)).toBeGreaterThan(500);
  });

  it('renderPng goes straight from the specification to PNG bytes', async () => {
    const png = await renderPng(textOnly, 1);
    expect(Array.from(png.subarray(1, 4), (byte) => String.fromCharCode(byte)).join('')).toBe('PNG');
  });
});
