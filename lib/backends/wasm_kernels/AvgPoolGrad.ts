/**
 * The gradient of 2-D average pooling: each window spreads dy / (filterHeight * filterWidth) over
 * the input pixels it covers. The divisor counts padded positions too; that is what tfjs's cpu
 * and webgl backends do, and this kernel agrees with them.
 *
 * One JS pass over the windows on the wasm heap, channels innermost.
 */
import { tf } from '../../tf';
import { heapView, type KernelArgs, type TensorInfo } from './kernel_utils';
import { forEachPoolWindow, poolGradientArguments } from './pool_windows';

const KERNEL_NAME = tf.AvgPoolGrad;

export function avgPoolGrad(args: KernelArgs): TensorInfo {
  const { wasm, dy, input, info } = poolGradientArguments(args, KERNEL_NAME);
  const { inWidth, inChannels: channels, filterHeight, filterWidth } = info;
  const share = 1 / (filterHeight * filterWidth);

  const dx = wasm.makeOutput(input.shape, 'float32');
  const gradOut = heapView(wasm, dy);
  const gradIn = heapView(wasm, dx);
  gradIn.fill(0);

  const scaled = new Float32Array(channels);
  const rowStride = inWidth * channels;
  forEachPoolWindow(info, (dyOffset, imageStart, firstRow, endRow, firstColumn, endColumn) => {
    for (let c = 0; c < channels; c++) scaled[c] = (gradOut[dyOffset + c] as number) * share;
    for (let row = firstRow; row < endRow; row++) {
      for (let column = firstColumn; column < endColumn; column++) {
        const pixel = imageStart + row * rowStride + column * channels;
        for (let c = 0; c < channels; c++) {
          gradIn[pixel + c] = (gradIn[pixel + c] as number) + (scaled[c] as number);
        }
      }
    }
  });
  return dx;
}

export const avgPoolGradConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: avgPoolGrad,
};
