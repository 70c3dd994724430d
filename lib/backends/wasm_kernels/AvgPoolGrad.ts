/**
 * The gradient of 2-D average pooling: each window spreads dy / (filterHeight * filterWidth) over
 * the input pixels it covers. The divisor counts padded positions too; that is what tfjs's cpu
 * and webgl backends do, and this kernel agrees with them.
 *
 * One JS pass over the windows on the wasm heap, channels innermost.
 */
import { tf } from '../../tf';
import {
  asShape4D,
  asWasmBackend,
  heapView,
  requireFloat32,
  requireInput,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';

const KERNEL_NAME = tf.AvgPoolGrad;

export function avgPoolGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = asWasmBackend(backend, KERNEL_NAME);
  const dy = requireInput(inputs, 'dy', KERNEL_NAME);
  const input = requireInput(inputs, 'input', KERNEL_NAME);
  requireFloat32(dy, KERNEL_NAME);
  const { filterSize, strides, pad } = attrs as unknown as tf.AvgPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    asShape4D(input.shape, 'input', KERNEL_NAME),
    filterSize,
    strides,
    1,
    pad,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const share = 1 / (filterHeight * filterWidth);

  const dx = wasm.makeOutput(input.shape, 'float32');
  const gradOut = heapView(wasm, dy);
  const gradIn = heapView(wasm, dx);
  gradIn.fill(0);

  const scaled = new Float32Array(channels);
  const rowStride = inWidth * channels;
  let dyOffset = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageStart = n * inHeight * rowStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * strideHeight - padTop;
      const firstRow = Math.max(0, rowStart);
      const endRow = Math.min(inHeight, rowStart + filterHeight);
      for (let ow = 0; ow < outWidth; ow++, dyOffset += channels) {
        const columnStart = ow * strideWidth - padLeft;
        const firstColumn = Math.max(0, columnStart);
        const endColumn = Math.min(inWidth, columnStart + filterWidth);
        for (let c = 0; c < channels; c++) scaled[c] = (gradOut[dyOffset + c] as number) * share;
        for (let row = firstRow; row < endRow; row++) {
          for (let column = firstColumn; column < endColumn; column++) {
            const pixel = imageStart + row * rowStride + column * channels;
            for (let c = 0; c < channels; c++) {
              gradIn[pixel + c] = (gradIn[pixel + c] as number) + (scaled[c] as number);
            }
          }
        }
      }
    }
  }
  return dx;
}

export const avgPoolGradConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: avgPoolGrad,
};
