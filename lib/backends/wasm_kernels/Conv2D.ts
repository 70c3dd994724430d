/**
 * Conv2D, with our own SIMD kernel for a single input channel (see single_channel_conv_wat):
 * float32, channels last, stride 1, no dilation, on the threaded backend. LeNet-5's first layer,
 * [128, 28, 28, 1] * [5, 5, 1, 6] 'same', took 3.2 to 4.2 ms of a training step on XNNPACK and
 * takes 1.6 to 3.1 ms here (2 threads; four profiles each, on a noisy machine). The input
 * is first copied into a zero-padded buffer (by the same module, on every thread), so that the
 * kernel has no borders to test. Every other convolution runs the backend's own kernel.
 */
import { tf } from '../../tf';
import {
  asShape4D,
  asWasmBackend,
  heapOffset,
  replacementConfig,
  requireInput,
  runKernelFunc,
  withIntermediates,
  type KernelArgs,
  type TensorInfo,
} from './kernel_utils';
import { ownKernels } from './own_kernels';
import { SINGLE_CHANNEL_CONV_OVERREAD_VALUES } from './single_channel_conv_wat';

const KERNEL_NAME = tf.Conv2D;

/** Whether our kernel computes this convolution: one float32 input channel, stride 1, no dilation, channels last. */
function isSingleChannelStride1(x: TensorInfo, filter: TensorInfo, attrs: tf.Conv2DAttrs): boolean {
  const [strideHeight, strideWidth] = typeof attrs.strides === 'number' ? [attrs.strides, attrs.strides] : attrs.strides;
  const dilations = attrs.dilations ?? 1;
  const [dilationHeight, dilationWidth] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  return (
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    x.shape.length === 4 &&
    filter.shape.length === 4 &&
    x.shape[3] === 1 &&
    filter.shape[2] === 1 &&
    (attrs.dataFormat ?? 'NHWC') === 'NHWC' &&
    strideHeight === 1 &&
    strideWidth === 1 &&
    dilationHeight === 1 &&
    dilationWidth === 1
  );
}

export function makeConv2DConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): TensorInfo => {
    const wasm = asWasmBackend(backend, KERNEL_NAME);
    const x = requireInput(inputs, 'x', KERNEL_NAME);
    const filter = requireInput(inputs, 'filter', KERNEL_NAME);
    const convolution = attrs as unknown as tf.Conv2DAttrs;
    const own = ownKernels();
    if (own === null || !isSingleChannelStride1(x, filter, convolution)) return runKernelFunc(original, inputs, attrs ?? {}, wasm);

    const xShape = asShape4D(x.shape, 'x', KERNEL_NAME);
    const filterShape = asShape4D(filter.shape, 'filter', KERNEL_NAME);
    const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, 1, 1, convolution.pad, convolution.dimRoundingMode);
    const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, filterHeight, filterWidth, padInfo } = info;
    const paddedHeight = outHeight + filterHeight - 1;
    const paddedWidth = outWidth + filterWidth - 1;
    const imageValues = paddedHeight * paddedWidth;
    const paddingHoldsInput =
      padInfo.top >= 0 && padInfo.left >= 0 && padInfo.top + inHeight <= paddedHeight && padInfo.left + inWidth <= paddedWidth;
    if (!paddingHoldsInput) return runKernelFunc(original, inputs, attrs ?? {}, wasm);
    return withIntermediates(wasm, (scratch) => {
      const y = scratch.keep(wasm.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32'));
      const padded = scratch.keep(wasm.makeOutput([batchSize * imageValues + SINGLE_CHANNEL_CONV_OVERREAD_VALUES], 'float32'));
      own.singleChannelConv({
        x: heapOffset(wasm, x),
        inHeight,
        inWidth,
        padded: heapOffset(wasm, padded),
        top: padInfo.top,
        left: padInfo.left,
        w: heapOffset(wasm, filter),
        y: heapOffset(wasm, y),
        rowValues: paddedWidth,
        imageValues,
        batch: batchSize,
        outHeight,
        outWidth,
        filterHeight,
        filterWidth,
        channels: outChannels,
      });
      return scratch.release(y);
    });
  };
  return replacementConfig(original, kernelFunc);
}
