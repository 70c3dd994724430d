/**
 * Layout changes of NHWC tensors done in JS directly on the wasm heap: one pass, no temporaries.
 * The wasm backend's own Pad kernel cannot insert zeros between pixels, and its Slice kernel
 * copies the whole input to JS first.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { BackendError } from '../../errors';
import { asShape4D, heapView, type TensorInfo } from './kernel_utils';

/** Signed padding per side: a negative amount crops that many rows or columns. */
export interface SpatialPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Below this many channels a per-element loop beats `subarray`, which allocates a view per pixel. */
const SUBARRAY_MIN_RUN = 64;

/**
 * out[n, top + i*dilationHeight, left + j*dilationWidth, c] = x[n, i, j, c], zeros elsewhere; pixels
 * that land outside the output are dropped. Zero-stuffing for a strided convolution's input
 * gradient, padding, and cropping are all this one copy.
 */
export function dilateAndPadSpatial(
  backend: BackendWasm,
  x: TensorInfo,
  padding: SpatialPadding,
  dilationHeight = 1,
  dilationWidth = 1,
): TensorInfo {
  const [batch, height, width, channels] = asShape4D(x.shape, 'x', 'dilateAndPadSpatial');
  const { top, bottom, left, right } = padding;
  const outHeight = (height - 1) * dilationHeight + 1 + top + bottom;
  const outWidth = (width - 1) * dilationWidth + 1 + left + right;
  if (outHeight <= 0 || outWidth <= 0) {
    throw new BackendError('wasm', `padding [${top}, ${bottom}, ${left}, ${right}] leaves nothing of [${x.shape.join(', ')}]`);
  }
  const out = backend.makeOutput([batch, outHeight, outWidth, channels], 'float32');
  const source = heapView(backend, x);
  const target = heapView(backend, out);

  const fillsEveryPixel =
    dilationHeight === 1 && dilationWidth === 1 && top <= 0 && bottom <= 0 && left <= 0 && right <= 0;
  if (!fillsEveryPixel) target.fill(0);

  const firstRow = top >= 0 ? 0 : Math.ceil(-top / dilationHeight);
  const lastRow = Math.min(height - 1, Math.floor((outHeight - 1 - top) / dilationHeight));
  const firstColumn = left >= 0 ? 0 : Math.ceil(-left / dilationWidth);
  const lastColumn = Math.min(width - 1, Math.floor((outWidth - 1 - left) / dilationWidth));
  if (firstRow > lastRow || firstColumn > lastColumn) return out;

  const sourceRowStride = width * channels;
  const targetRowStride = outWidth * channels;
  const targetPixelStride = dilationWidth * channels;
  const columnCount = lastColumn - firstColumn + 1;
  for (let n = 0; n < batch; n++) {
    for (let row = firstRow; row <= lastRow; row++) {
      const sourceStart = (n * height + row) * sourceRowStride + firstColumn * channels;
      const targetRow = n * outHeight + top + row * dilationHeight;
      const targetStart = targetRow * targetRowStride + (left + firstColumn * dilationWidth) * channels;
      if (dilationWidth === 1) {
        target.set(source.subarray(sourceStart, sourceStart + columnCount * channels), targetStart);
      } else if (channels >= SUBARRAY_MIN_RUN) {
        for (let column = 0; column < columnCount; column++) {
          const from = sourceStart + column * channels;
          target.set(source.subarray(from, from + channels), targetStart + column * targetPixelStride);
        }
      } else {
        for (let column = 0; column < columnCount; column++) {
          const from = sourceStart + column * channels;
          const to = targetStart + column * targetPixelStride;
          for (let c = 0; c < channels; c++) target[to + c] = source[from + c] as number;
        }
      }
    }
  }
  return out;
}

/** Drops the given number of rows and columns from each side of an NHWC tensor. */
export function cropSpatial(
  backend: BackendWasm,
  x: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): TensorInfo {
  return dilateAndPadSpatial(backend, x, { top: -top, bottom: -bottom, left: -left, right: -right });
}
