/**
 * The filter gradient of a 2-D convolution, which the wasm backend lacks.
 *
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n, oh, ow, co]
 *
 * On the threaded backend this runs our own SIMD kernel (filter_gradient_wat.ts) on every thread,
 * reading x and dy in place. Elsewhere it falls back to a forward convolution on XNNPACK: read
 * with ci as the batch, (kh, kw) as the output pixel and n as the channel to reduce over, the
 * sum is a convolution of x transposed to [ci, h, w, n] with dy transposed to a [oh, ow, n, co]
 * filter, the forward stride becoming the filter's dilation. That route pays for two transposes
 * and XNNPACK's repacking of its huge filter on every call: at VGG's shapes it ran at 14 to 25
 * GFLOP/s against 45 to 52 for our kernel on 2 threads (see the notes of issue 4).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import {
  asShape4D,
  asWasmBackend,
  CHANNELS_FIRST_TO_LAST,
  convolutionOfGradient,
  explicitPadding,
  heapOffset,
  requireFloat32,
  requireInput,
  runWasmKernel,
  sizeOf,
  transposeInfo,
  withIntermediates,
  type Intermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { MAX_TILE_ROWS, MAX_TILE_VECTORS, TILE_FIELDS, tileKind } from './filter_gradient_wat';
import { ownKernels, type OwnKernels } from './own_kernels';
import { cropSpatial } from './spatial_copy';
import { swapBatchAndChannels, swapBatchAndChannelsIsFaster } from './transposes';

/**
 * Bytes of x and dy per cache block of images: well inside a core's L2 (512 KiB on the machines
 * measured), so that every tile of a thread's share finds the block there.
 */
const BLOCK_BYTES = 192 * 1024;

const KERNEL_NAME = tf.Conv2DBackpropFilter;

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = asWasmBackend(backend, KERNEL_NAME);
  const x = requireInput(inputs, 'x', KERNEL_NAME);
  const dy = requireInput(inputs, 'dy', KERNEL_NAME);
  requireFloat32(x, KERNEL_NAME);
  requireFloat32(dy, KERNEL_NAME);
  const convolution = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = convolutionOfGradient(asShape4D(x.shape, 'x', KERNEL_NAME), convolution.filterShape, convolution, dy, KERNEL_NAME);
  return withIntermediates(wasm, (scratch) => {
    const channelsFirst = info.dataFormat === 'channelsFirst';
    const xNhwc = channelsFirst ? scratch.keep(transposeInfo(wasm, x, CHANNELS_FIRST_TO_LAST)) : x;
    const dyNhwc = channelsFirst ? scratch.keep(transposeInfo(wasm, dy, CHANNELS_FIRST_TO_LAST)) : dy;
    const own = ownKernels();
    if (own !== null && own.canRead(heapOffset(wasm, dyNhwc), 4 * (sizeOf(dyNhwc) + 4))) {
      return filterGradientOwn(own, wasm, xNhwc, dyNhwc, info, scratch);
    }
    return filterGradientXnnpack(wasm, xNhwc, dyNhwc, info, scratch);
  });
}

/** The output rows (or columns) whose tap `k` reads inside the input: [first, end). */
function validOutputRange(tap: number, pad: number, stride: number, inSize: number, outSize: number): [number, number] {
  const first = Math.max(0, Math.ceil((pad - tap) / stride));
  const end = Math.min(outSize, Math.floor((inSize - 1 + pad - tap) / stride) + 1);
  return [first, Math.max(first, end)];
}

/**
 * One table entry per (tap, block of up to 4 input channels, block of 8 or 4 output channels)
 * over the output pixels where that tap reads real input. The output channels are padded to a
 * multiple of 4 in dW, so a last vector may read up to 3 floats past a pixel of dy: harmless,
 * they land in dW's padding, which is cut off at the end.
 */
function tileTable(info: tf.backend_util.Conv2DInfo, paddedOutChannels: number): number[] {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const entries: number[] = [];
  for (let kh = 0; kh < filterHeight; kh++) {
    const [oh0, oh1] = validOutputRange(kh, info.padInfo.top, strideHeight, inHeight, outHeight);
    for (let kw = 0; kw < filterWidth; kw++) {
      const [ow0, ow1] = validOutputRange(kw, info.padInfo.left, strideWidth, inWidth, outWidth);
      if (oh1 === oh0 || ow1 === ow0) continue;
      const ih0 = oh0 * strideHeight + kh - info.padInfo.top;
      const iw0 = ow0 * strideWidth + kw - info.padInfo.left;
      for (let ci = 0; ci < inChannels; ci += MAX_TILE_ROWS) {
        const rows = Math.min(MAX_TILE_ROWS, inChannels - ci);
        for (let co = 0; co < outChannels; ) {
          const vectors = Math.min(MAX_TILE_VECTORS, Math.ceil((outChannels - co) / 4));
          entries.push(
            tileKind(rows, vectors),
            4 * ((ih0 * inWidth + iw0) * inChannels + ci),
            4 * ((oh0 * outWidth + ow0) * outChannels + co),
            4 * (((kh * filterWidth + kw) * inChannels + ci) * paddedOutChannels + co),
            oh1 - oh0,
            ow1 - ow0,
          );
          co += 4 * vectors;
        }
      }
    }
  }
  return entries;
}

function filterGradientOwn(
  own: OwnKernels,
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  scratch: Intermediates,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const paddedOutChannels = 4 * Math.ceil(outChannels / 4);
  const entries = tileTable(info, paddedOutChannels);
  const table = scratch.keep(backend.makeOutput([Math.max(entries.length, TILE_FIELDS)], 'int32'));
  const tableOffset = heapOffset(backend, table);
  const paddedShape = [filterHeight, filterWidth, inChannels, paddedOutChannels];
  // Freed with the other intermediates unless it is returned as it is.
  const padded = scratch.keep(backend.makeOutput(paddedShape, 'float32'));
  const dwOffset = heapOffset(backend, padded);
  // Views only now: the allocations above may have grown the heap and detached earlier ones.
  const heap = own.memory.buffer;
  new Float32Array(heap, dwOffset, sizeOf(padded)).fill(0);
  new Int32Array(heap, tableOffset, entries.length).set(entries);
  const imageBytes = 4 * (inHeight * inWidth * inChannels + outHeight * outWidth * outChannels);
  own.filterGradient({
    table: tableOffset,
    tiles: entries.length / TILE_FIELDS,
    x: heapOffset(backend, x),
    dy: heapOffset(backend, dy),
    dw: dwOffset,
    images: batchSize,
    blockImages: Math.max(1, Math.floor(BLOCK_BYTES / imageBytes)),
    steps: [
      4 * inHeight * inWidth * inChannels,
      4 * outHeight * outWidth * outChannels,
      4 * info.strideHeight * inWidth * inChannels,
      4 * info.strideWidth * inChannels,
      4 * outWidth * outChannels,
      4 * outChannels,
      4 * paddedOutChannels,
    ],
  });
  if (paddedOutChannels === outChannels) return scratch.release(padded);
  return runWasmKernel('Slice', { x: padded }, { begin: [0, 0, 0, 0], size: [filterHeight, filterWidth, inChannels, outChannels] }, backend);
}

function filterGradientXnnpack(
  backend: BackendWasm,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  scratch: Intermediates,
): TensorInfo {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  // The span of input rows the gradient convolution reads; rows past it never met a filter tap,
  // as happens when (h + pads - k) is not a multiple of the stride.
  const spanHeight = (outHeight - 1) * strideHeight + filterHeight;
  const spanWidth = (outWidth - 1) * strideWidth + filterWidth;
  let top = info.padInfo.top;
  let left = info.padInfo.left;
  let bottom = spanHeight - inHeight - top;
  let right = spanWidth - inWidth - left;

  let xUsed = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    xUsed = scratch.keep(
      cropSpatial(backend, x, Math.max(0, -top), Math.max(0, -bottom), Math.max(0, -left), Math.max(0, -right)),
    );
    top = Math.max(0, top);
    bottom = Math.max(0, bottom);
    left = Math.max(0, left);
    right = Math.max(0, right);
  }

  const xByChannel = scratch.keep(
    swapBatchAndChannelsIsFaster(xUsed) ? swapBatchAndChannels(backend, xUsed) : transposeInfo(backend, xUsed, [3, 1, 2, 0]),
  );
  const dyAsFilter = scratch.keep(transposeInfo(backend, dy, [1, 2, 0, 3]));
  const gradientByChannel = scratch.keep(
    runWasmKernel(
      'Conv2D',
      { x: xByChannel, filter: dyAsFilter },
      {
        strides: [1, 1],
        pad: explicitPadding(top, bottom, left, right),
        dilations: [strideHeight, strideWidth],
        dataFormat: 'NHWC',
      },
      backend,
    ),
  );
  return transposeInfo(backend, gradientByChannel, [1, 2, 0, 3]);
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
