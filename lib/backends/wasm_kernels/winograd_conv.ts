/**
 * 3x3, stride 1 convolutions by Winograd's F(2x2, 3x3) on our kernel (see winograd_wat): the
 * VGG-style net's convolutions after its first, forward and (as a convolution of dy with the
 * flipped filter, see Conv2DBackpropInput) backward, and the MNIST CNN's second. Per output pixel
 * and channel pair it does 4 multiplies where XNNPACK does 9, and its 16 matrix products run on
 * our matrix kernel.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

import { tf } from '../../tf';
import { float32ConvolutionInfo, heapOffset, heapView, withIntermediates, type TensorInfo } from './kernel_utils';
import type { OwnKernels } from './own_kernels';

/**
 * Fewest input and output channels taken: below this the matrix products are too thin to pay
 * for the transforms.
 */
export const WINOGRAD_MIN_CHANNELS = 16;

/** Floats of V and M a thread keeps per block of tiles: with the product's slot, within a core's second-level cache. */
const WINOGRAD_BLOCK_FLOATS = 1 << 16;

/** The convolution's geometry when our Winograd kernel computes it, else null. */
export function winogradTakes(x: TensorInfo, filter: TensorInfo, attrs: tf.Conv2DAttrs, kernelName: string): tf.backend_util.Conv2DInfo | null {
  if (filter.shape[0] !== 3 || filter.shape[1] !== 3) return null;
  const info = float32ConvolutionInfo(x, filter, attrs, kernelName);
  const ours =
    info !== null &&
    info.dataFormat === 'channelsLast' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    info.inChannels >= WINOGRAD_MIN_CHANNELS &&
    info.outChannels >= WINOGRAD_MIN_CHANNELS &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0;
  return ours ? info : null;
}

/** Tiles per block: as many as keep a block's V and M within WINOGRAD_BLOCK_FLOATS, at least 4. */
export function winogradBlockTiles(inChannels: number, outChannels: number): number {
  return Math.max(4, Math.floor(WINOGRAD_BLOCK_FLOATS / (16 * (inChannels + outChannels))));
}

/**
 * U = G g Gᵀ for every pair of channels: `w` is [3, 3, inChannels, outChannels], `u`
 * [16, inChannels, outChannels].
 */
export function transformFilter(w: Float32Array, u: Float32Array, inChannels: number, outChannels: number): void {
  const plane = inChannels * outChannels;
  const t = new Float64Array(12);
  for (let at = 0; at < plane; at++) {
    // G g: the filter's rows combined, per column.
    for (let column = 0; column < 3; column++) {
      const g0 = w[column * plane + at] as number;
      const g1 = w[(3 + column) * plane + at] as number;
      const g2 = w[(6 + column) * plane + at] as number;
      t[column] = g0;
      t[3 + column] = (g0 + g1 + g2) / 2;
      t[6 + column] = (g0 - g1 + g2) / 2;
      t[9 + column] = g2;
    }
    // (G g) Gᵀ: each row's columns combined.
    for (let row = 0; row < 4; row++) {
      const a = t[3 * row] as number;
      const b = t[3 * row + 1] as number;
      const c = t[3 * row + 2] as number;
      u[4 * row * plane + at] = a;
      u[(4 * row + 1) * plane + at] = (a + b + c) / 2;
      u[(4 * row + 2) * plane + at] = (a - b + c) / 2;
      u[(4 * row + 3) * plane + at] = c;
    }
  }
}

/** y = conv(x, filter) (+ bias per channel, then ReLU where `relu`) for a convolution winogradTakes took. */
export function convolveWinograd(
  wasm: BackendWasm,
  own: OwnKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | null,
  relu: boolean,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, padInfo } = info;
  const blockTiles = winogradBlockTiles(inChannels, outChannels);
  const widest = Math.max(inChannels, outChannels);
  return withIntermediates(wasm, (scratch) => {
    const y = scratch.keep(wasm.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32'));
    const u = scratch.keep(wasm.makeOutput([16, inChannels, outChannels], 'float32'));
    const zeroAndSink = scratch.keep(wasm.makeOutput([2 * widest], 'float32'));
    const blocks = scratch.keep(wasm.makeOutput([own.winogradScratchFloats(blockTiles, inChannels, outChannels)], 'float32'));
    heapView(wasm, zeroAndSink).fill(0, 0, widest);
    transformFilter(heapView(wasm, filter), heapView(wasm, u), inChannels, outChannels);
    const zero = heapOffset(wasm, zeroAndSink);
    own.winogradConv({
      x: heapOffset(wasm, x),
      u: heapOffset(wasm, u),
      y: heapOffset(wasm, y),
      bias: bias === null ? 0 : heapOffset(wasm, bias),
      zero,
      sink: zero + 4 * widest,
      scratch: heapOffset(wasm, blocks),
      batch: batchSize,
      inHeight,
      inWidth,
      inChannels,
      outChannels,
      outHeight,
      outWidth,
      top: padInfo.top,
      left: padInfo.left,
      blockTiles,
      relu,
    });
    return scratch.release(y);
  });
}
