/**
 * A captioned grid of small images: misclassified test images, filters, feature maps. The page
 * shows it as HTML images; the PNG file draws it with Vega-Lite image and text marks, so the
 * captions are in the PNG too.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RgbaImage } from '../data/image';
import { ConfigError } from '../errors';
import { enlarge } from './pixels';
import { encodePng, pngDataUri } from './png';

/** One image of a grid. */
export interface ImageTile {
  /** The image at its own resolution (28 x 28 for MNIST); it is enlarged for display. */
  readonly image: RgbaImage;
  /** Shown under the image; `\n` starts a new line. */
  readonly caption: string;
}

/** A grid of images with a title. */
export interface ImageGrid {
  /** Above the grid, and the PNG file's title. */
  readonly title: string;
  /** Images per row. */
  readonly columns: number;
  /** Width of each image on screen, in CSS pixels. */
  readonly tileWidth: number;
  /** The images, row by row. */
  readonly tiles: readonly ImageTile[];
}

/** Vertical room per caption line in the PNG figure. */
const CAPTION_LINE_HEIGHT = 13;
/** Space between tiles in the PNG figure. */
const GUTTER = 10;
/** Caption font size in the PNG figure, and the width of an average character of it (DejaVu Sans is wide). */
const CAPTION_FONT_SIZE = 10;
const CAPTION_CHARACTER_WIDTH = 6.2;

/** The grid as a Vega-Lite specification: images placed in pixels, captions under them. */
export function imageGridSpec(grid: ImageGrid): TopLevelSpec {
  if (!Number.isInteger(grid.columns) || grid.columns < 1) throw new ConfigError(`image grid '${grid.title}'`, 'columns', grid.columns, 'a positive integer');
  const first = grid.tiles[0];
  const aspect = first === undefined ? 1 : first.image.height / first.image.width;
  const tileHeight = Math.round(grid.tileWidth * aspect);
  const captionLines = Math.max(1, ...grid.tiles.map((tile) => tile.caption.split('\n').length));
  const longestCaption = Math.max(0, ...grid.tiles.flatMap((tile) => tile.caption.split('\n').map((line) => line.length)));
  const columnWidth = Math.max(grid.tileWidth, Math.ceil(longestCaption * CAPTION_CHARACTER_WIDTH));
  const cellWidth = columnWidth + GUTTER;
  const cellHeight = tileHeight + captionLines * CAPTION_LINE_HEIGHT + GUTTER;
  const columns = Math.min(grid.columns, Math.max(grid.tiles.length, 1));
  const rows = Math.ceil(grid.tiles.length / columns);
  const values = grid.tiles.map((tile, i) => {
    // Enlarged here so that the PNG renderer never smooths a small image into a blur.
    const factor = Math.max(1, Math.ceil(grid.tileWidth / tile.image.width));
    return {
      x: (i % columns) * cellWidth + columnWidth / 2,
      y: Math.floor(i / columns) * cellHeight,
      url: pngDataUri(encodePng(enlarge(tile.image, factor))),
      caption: tile.caption,
    };
  });
  const pixels = { type: 'quantitative' as const, scale: null, axis: null };
  return {
    title: grid.title,
    width: Math.max(columns * cellWidth - GUTTER, 1),
    height: Math.max(rows * cellHeight - GUTTER, 1),
    data: { values },
    layer: [
      {
        mark: { type: 'image', width: grid.tileWidth, height: tileHeight, align: 'center', baseline: 'top', aspect: false, smooth: false, aria: false },
        encoding: { x: { field: 'x', ...pixels }, y: { field: 'y', ...pixels }, url: { field: 'url', type: 'nominal' } },
      },
      {
        mark: { type: 'text', align: 'center', baseline: 'top', fontSize: CAPTION_FONT_SIZE, lineBreak: '\n', dy: tileHeight + 3 },
        encoding: { x: { field: 'x', ...pixels }, y: { field: 'y', ...pixels }, text: { field: 'caption' } },
      },
    ],
  } as TopLevelSpec;
}
