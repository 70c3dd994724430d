/**
 * The gradient of 2-D max pooling: each window's dy goes to the first position (in row-major
 * window order) holding the window's maximum, as on the cpu backend.
 *
 * The common 2x2 stride 2 case of 4 or more channels runs our own SIMD kernel on every thread
 * where it is available (see max_pool_grad_wat). Otherwise one JS pass over the windows, straight
 * on the wasm heap, unrolled for the 2x2 case: 3 to 5 times faster than the wasm backend's own
 * kernel on LeNet and VGG shapes. The SIMD kernel took LeNet-5's two calls per step (batch 128,
 * 2 threads) from 6.4 ms to 1.5 ms.
 */
import { tf } from '../../tf';
import { heapOffset, heapView, requireFloat32, type KernelArgs, type TensorInfo } from './kernel_utils';
import { MAX_POOL_GRAD_MIN_CHANNELS } from './max_pool_grad_wat';
import { ownKernels } from './own_kernels';
import { forEachPoolWindow, poolGradientArguments } from './pool_windows';

const KERNEL_NAME = tf.MaxPoolGrad;

export function maxPoolGrad(args: KernelArgs): TensorInfo {
  const { wasm, dy, input, info } = poolGradientArguments(args, KERNEL_NAME);
  requireFloat32(input, KERNEL_NAME);
  const { batchSize, inWidth, inChannels: channels, outHeight, outWidth } = info;

  const dx = wasm.makeOutput(input.shape, 'float32');
  const tiled2x2 = isTiled2x2(info);
  const own = ownKernels();
  if (tiled2x2 && channels >= MAX_POOL_GRAD_MIN_CHANNELS && own !== null) {
    own.maxPoolGrad2x2({
      x: heapOffset(wasm, input),
      dy: heapOffset(wasm, dy),
      dx: heapOffset(wasm, dx),
      rows: batchSize * outHeight,
      outWidth,
      channels,
    });
    return dx;
  }
  const x = heapView(wasm, input);
  const gradOut = heapView(wasm, dy);
  const gradIn = heapView(wasm, dx);
  if (tiled2x2) {
    scatterTiled2x2(x, gradOut, gradIn, batchSize * outHeight, outWidth, channels);
    return dx;
  }

  gradIn.fill(0);
  const rowStride = inWidth * channels;
  forEachPoolWindow(info, (dyOffset, imageStart, firstRow, endRow, firstColumn, endColumn) => {
    const windowStart = imageStart + firstRow * rowStride + firstColumn * channels;
    for (let c = 0; c < channels; c++) {
      let best = -Infinity;
      let bestAt = -1;
      for (let row = firstRow, rowOffset = windowStart + c; row < endRow; row++, rowOffset += rowStride) {
        for (let column = firstColumn, at = rowOffset; column < endColumn; column++, at += channels) {
          const value = x[at] as number;
          // Strictly greater keeps the first maximum, as tfjs does; NaN never wins.
          if (value > best) {
            best = value;
            bestAt = at;
          }
        }
      }
      if (bestAt >= 0) gradIn[bestAt] = (gradIn[bestAt] as number) + (gradOut[dyOffset + c] as number);
    }
  });
  return dx;
}

/** Whether every input pixel lies in exactly one 2x2, stride 2 window. */
function isTiled2x2(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight * 2 === info.inHeight &&
    info.outWidth * 2 === info.inWidth
  );
}

/**
 * The common 2x2, stride 2 pooling of an even-sized input, unrolled: every input pixel lies in
 * exactly one window, so each window writes all four of its pixels and nothing is cleared
 * first. `outRows` counts output rows over the whole batch, which are input row pairs.
 */
function scatterTiled2x2(
  x: Float32Array,
  gradOut: Float32Array,
  gradIn: Float32Array,
  outRows: number,
  outWidth: number,
  channels: number,
): void {
  const rowStride = 2 * outWidth * channels;
  let dyOffset = 0;
  for (let outRow = 0; outRow < outRows; outRow++) {
    for (let ow = 0; ow < outWidth; ow++) {
      const topLeft = 2 * outRow * rowStride + 2 * ow * channels;
      const topRight = topLeft + channels;
      const bottomLeft = topLeft + rowStride;
      const bottomRight = bottomLeft + channels;
      for (let c = 0; c < channels; c++, dyOffset++) {
        const gradient = gradOut[dyOffset] as number;
        const a = x[topLeft + c] as number;
        const b = x[topRight + c] as number;
        const d = x[bottomLeft + c] as number;
        const e = x[bottomRight + c] as number;
        // Window order a, b, d, e; strictly greater keeps the first maximum and skips NaN and
        // -Infinity, as tfjs's cpu kernel does.
        let best = -Infinity;
        let winner = -1;
        if (a > best) {
          best = a;
          winner = 0;
        }
        if (b > best) {
          best = b;
          winner = 1;
        }
        if (d > best) {
          best = d;
          winner = 2;
        }
        if (e > best) winner = 3;
        gradIn[topLeft + c] = winner === 0 ? gradient : 0;
        gradIn[topRight + c] = winner === 1 ? gradient : 0;
        gradIn[bottomLeft + c] = winner === 2 ? gradient : 0;
        gradIn[bottomRight + c] = winner === 3 ? gradient : 0;
      }
    }
  }
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
