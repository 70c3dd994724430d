/** RGBA rasters to PNG bytes, and PNG bytes to the `data:` URIs that keep a page self-contained. */
import { PNG } from 'pngjs';
import type { RgbaImage } from '../data/image';
import { DataError } from '../errors';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Encodes an RGBA image as a PNG file's bytes. */
export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return new Uint8Array(PNG.sync.write(png));
}

/** `data:image/png;base64,...`: the image inside the page, with no file or request. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`;
}

/** A PNG's width and height, read from its header without decoding it. `name` names it in errors. */
export function pngSize(png: Uint8Array, name: string): { width: number; height: number } {
  // The signature, then the IHDR chunk: length (4 bytes), type (4), width (4), height (4), big-endian.
  if (png.length < 24 || !PNG_SIGNATURE.every((byte, i) => png[i] === byte)) {
    throw new DataError(name, `is not a PNG image (${png.length} bytes without a PNG header)`);
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
