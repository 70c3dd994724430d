import { PNG } from 'pngjs';
import { imageGridSpec, type ImageGrid } from '../../lib/report/image_grid';
import { renderPng, renderSvg } from '../../lib/report/render';
import { valuesToImage } from '../../lib/report/pixels';

const grid: ImageGrid = {
  title: 'Three tiles',
  columns: 2,
  tileWidth: 40,
  tiles: [0, 1, 2].map((i) => ({ image: valuesToImage([0, i, 2, 1], 2, 2), caption: `true ${i}\npredicted ${i + 1}` })),
};

describe('imageGridSpec', () => {
  it('places the images in rows of `columns`, each with its caption under it', async () => {
    const svg = await renderSvg(imageGridSpec(grid));
    expect(svg.match(/<image /g)).toHaveLength(3);
    expect(svg).toContain('data:image/png;base64,');
    for (const text of ['Three tiles', 'true 0', 'predicted 3']) expect(svg).toContain(`>${text}</`);
  });

  it('enlarges small images before drawing them, so the PNG is sharp, not smoothed', () => {
    const spec = imageGridSpec(grid) as unknown as { data: { values: { url: string }[] } };
    const first = spec.data.values[0]?.url ?? '';
    const png = PNG.sync.read(Buffer.from(first.replace('data:image/png;base64,', ''), 'base64'));
    expect([png.width, png.height]).toEqual([40, 40]);
  });

  it('renders to a PNG whose rows and columns have room for every caption', async () => {
    const png = PNG.sync.read(Buffer.from(await renderPng(imageGridSpec(grid), 1)));
    expect(png.width).toBeGreaterThan(2 * 40);
    expect(png.height).toBeGreaterThan(2 * 40 + 2 * 26);
  });

  it('rejects a grid without columns', () => {
    expect(() => imageGridSpec({ ...grid, columns: 0 })).toThrow("image grid 'Three tiles': columns must be a positive integer, got 0");
  });
});
