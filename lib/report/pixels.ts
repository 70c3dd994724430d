/**
 * Numbers to pixels: images, filters and feature maps become 8-bit RGBA rasters, through a
 * colour map for single-channel values, and are enlarged by whole factors so that each value
 * stays a sharp square rather than a blur.
 */
import { scheme } from 'vega';
import { ConfigError } from '../errors';
import type { RgbaImage } from '../data/image';

/** A value in [0, 1] to an RGB colour. */
export type Colormap = (unit: number) => readonly [red: number, green: number, blue: number];

/** Black (0) to white (1). */
export const GRAY: Colormap = (unit) => {
  const level = Math.round(clampUnit(unit) * 255);
  return [level, level, level];
};

/** Levels per colour map table: one per 8-bit value. */
const COLORMAP_LEVELS = 256;

/**
 * One of Vega's continuous colour schemes (`viridis`, `blueorange`, ...) as a colour map, tabled
 * once: the same colours the charts use, from the same library.
 */
export function schemeColormap(name: string): Colormap {
  const interpolate: unknown = scheme(name);
  if (typeof interpolate !== 'function') {
    throw new ConfigError('schemeColormap', 'name', name, "a continuous Vega colour scheme such as 'viridis'");
  }
  const table = Array.from({ length: COLORMAP_LEVELS }, (_, level) => parseRgb(String(interpolate(level / (COLORMAP_LEVELS - 1)))));
  return (unit) => table[Math.round(clampUnit(unit) * (COLORMAP_LEVELS - 1))] as readonly [number, number, number];
}

/** `rgb(68, 1, 84)` or `#440154` -> [68, 1, 84]. */
function parseRgb(color: string): [number, number, number] {
  const functional = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (functional !== null) return [Number(functional[1]), Number(functional[2]), Number(functional[3])];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex !== null) return [parseInt(hex[1] as string, 16), parseInt(hex[2] as string, 16), parseInt(hex[3] as string, 16)];
  throw new ConfigError('colour scheme', 'colour', color, "'rgb(r, g, b)' or '#rrggbb'");
}

function clampUnit(value: number): number {
  return Number.isNaN(value) ? 0 : Math.min(1, Math.max(0, value));
}

/** The smallest and largest value; [0, 0] when there are none. */
export function valueRange(values: ArrayLike<number>): [number, number] {
  if (values.length === 0) return [0, 0];
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return [low, high];
}

/** How a single-channel grid of values becomes colours. */
export interface ValuesToImageOptions {
  /** The colour map; `GRAY` by default. */
  readonly colormap?: Colormap;
  /** The values shown as the map's two ends; the values' own range by default. A flat range shows the low end. */
  readonly range?: readonly [low: number, high: number];
}

/** A `height x width` grid of values, row-major, as an image through a colour map. */
export function valuesToImage(values: ArrayLike<number>, width: number, height: number, options: ValuesToImageOptions = {}): RgbaImage {
  if (values.length !== width * height) {
    throw new ConfigError('valuesToImage', 'values', `${values.length} values`, `width * height = ${width} * ${height} = ${width * height}`);
  }
  const colormap = options.colormap ?? GRAY;
  const [low, high] = options.range ?? valueRange(values);
  const span = high - low;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const [red, green, blue] = colormap(span === 0 ? 0 : ((values[i] as number) - low) / span);
    data.set([red, green, blue, 255], i * 4);
  }
  return { width, height, data };
}

/** A channels-last image with values in [0, 1] (1 channel: gray, 3: RGB) as RGBA. */
export function pixelsToImage(pixels: ArrayLike<number>, height: number, width: number, channels: number): RgbaImage {
  if (channels !== 1 && channels !== 3) throw new ConfigError('pixelsToImage', 'channels', channels, '1 (gray) or 3 (RGB)');
  if (pixels.length !== height * width * channels) {
    throw new ConfigError('pixelsToImage', 'pixels', `${pixels.length} values`, `${height} * ${width} * ${channels}`);
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let channel = 0; channel < 3; channel++) {
      const value = pixels[channels === 1 ? i : i * 3 + channel] as number;
      data[i * 4 + channel] = Math.round(clampUnit(value) * 255);
    }
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Each pixel becomes a `factor x factor` square (nearest neighbour). */
export function enlarge(image: RgbaImage, factor: number): RgbaImage {
  if (!Number.isInteger(factor) || factor < 1) throw new ConfigError('enlarge', 'factor', factor, 'a positive integer');
  if (factor === 1) return image;
  const width = image.width * factor;
  const height = image.height * factor;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.floor(y / factor) * image.width;
    for (let x = 0; x < width; x++) {
      const source = (sourceRow + Math.floor(x / factor)) * 4;
      data.set(image.data.subarray(source, source + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}
